/**
 * RS256 JSON Web Tokens, as every JWT-based grant signs them (client assertions, GitHub App
 * tokens): the private key read from its setting, the token signed with node:crypto. Errors name
 * the setting and the accepted forms, never a byte of the key.
 */
import { createPrivateKey, createSign, type KeyObject } from 'node:crypto';
import { InvalidConfigError } from '../config/config-service.ts';

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/**
 * An RSA private key from PEM (PKCS#1 `RSA PRIVATE KEY` or PKCS#8 `PRIVATE KEY`), or from the
 * base64 of that PEM (how secrets are often stored); `\n` typed literally (an env var pasted on one
 * line) counts as a line break.
 */
export function readRsaPrivateKey(value: string, setting: string): KeyObject {
  let pem = value.trim().replace(/\\n/g, '\n');
  if (!pem.startsWith('-----BEGIN')) pem = Buffer.from(pem, 'base64').toString('utf8').trim();
  const problem = (what: string) => new InvalidConfigError(`${setting} ${what}: expected an RSA private key in PEM (PKCS#1 or PKCS#8), optionally base64-encoded`, setting);
  if (!/^-----BEGIN (RSA )?PRIVATE KEY-----/.test(pem)) {
    throw problem(pem.startsWith('-----BEGIN ENCRYPTED') ? 'is encrypted' : 'is not a PEM private key');
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw problem('could not be read');
  }
  if (key.asymmetricKeyType !== 'rsa') throw problem(`is a ${key.asymmetricKeyType ?? 'non-RSA'} key`);
  return key;
}

/**
 * The `x5t` header of a certificate thumbprint as configured (`PRIVATE_KEY_ID`): openssl's
 * `sha1 Fingerprint=` prefix and colons dropped, the 20 bytes base64url-encoded without padding
 * (RFC 7515 §4.1.7; psoxy's Java encoder pads with one `=`).
 */
export function x5tFromThumbprint(value: string, setting: string): string {
  const hex = value.trim().replace(/^sha1 fingerprint=/i, '').replace(/:/g, '');
  if (!/^[0-9a-fA-F]{40}$/.test(hex)) {
    throw new InvalidConfigError(`${setting} is not a SHA-1 certificate thumbprint (40 hex digits, colons and 'sha1 Fingerprint=' allowed)`, setting);
  }
  return base64url(Buffer.from(hex, 'hex'));
}

/** `header.claims.signature`, RS256 (`alg` and `typ` set here; `header` adds, e.g., `x5t`). */
export function signRs256(claims: Record<string, unknown>, key: KeyObject, header: Record<string, string> = {}): string {
  const input = `${base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', ...header }))}.${base64url(JSON.stringify(claims))}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(key).toString('base64url')}`;
}
