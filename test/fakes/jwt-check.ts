// RS256 JWTs for the fakes, written from RFC 7515/7519 with node:crypto alone (independently of
// src/auth/jwt.ts, which they check): identity providers issue them, token endpoints verify them.
import { createSign, createVerify, type KeyObject } from 'node:crypto';

export interface DecodedJwt { header: Record<string, unknown>; claims: Record<string, unknown> }

const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

export function issueRs256(claims: Record<string, unknown>, key: KeyObject, header: Record<string, unknown> = {}): string {
  const input = `${part({ alg: 'RS256', typ: 'JWT', ...header })}.${part(claims)}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(key).toString('base64url')}`;
}

/** The header and claims without checking anything, or null when it is not a JWT. */
export function decodeJwt(token: string): DecodedJwt | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    return { header: JSON.parse(Buffer.from(parts[0], 'base64url').toString()) as Record<string, unknown>, claims: JSON.parse(Buffer.from(parts[1], 'base64url').toString()) as Record<string, unknown> };
  } catch {
    return null;
  }
}

/** True when `token` is RS256 and signed by the private key of `publicKey`. */
export function signedBy(token: string, publicKey: KeyObject): boolean {
  const [h, c, sig] = token.split('.');
  if (decodeJwt(token)?.header.alg !== 'RS256' || sig === undefined) return false;
  return createVerify('RSA-SHA256').update(`${h}.${c}`).verify(publicKey, Buffer.from(sig, 'base64url'));
}
