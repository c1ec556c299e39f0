// Verifies AWS Signature Version 4 on incoming requests, written from AWS's published algorithm
// (canonical request → string to sign → derived signing key), independently of the signer we test.
import { createHash, createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

export function verifySigV4(req: IncomingMessage, body: Buffer, secrets: Record<string, string>): { ok: boolean; reason: string } {
  const auth = req.headers.authorization ?? '';
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m) return { ok: false, reason: 'no SigV4 Authorization header' };
  const [, keyId, date, region, service, signedHeaders, signature] = m;
  const secret = secrets[keyId];
  if (!secret) return { ok: false, reason: 'unknown access key' };
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  if (!amzDate.startsWith(date)) return { ok: false, reason: 'date mismatch' };
  const [rawPath, rawQuery = ''] = (req.url ?? '/').split('?', 2);
  // Non-S3 services: each (already encoded) path segment is encoded again.
  const canonicalUri = rawPath.split('/').map((seg) => rfc3986(decodeURIComponent(seg)).replace(/%/g, '%25')).join('/');
  const params = rawQuery ? rawQuery.split('&').map((p) => p.split('=', 2).map((x) => rfc3986(decodeURIComponent(x.replace(/\+/g, ' '))))) : [];
  params.sort(([a, av = ''], [b, bv = '']) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  const canonicalQuery = params.map(([k, v = '']) => `${k}=${v}`).join('&');
  const names = signedHeaders.split(';');
  const canonicalHeaders = names.map((n) => `${n}:${String(req.headers[n] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const payloadHash = String(req.headers['x-amz-content-sha256'] ?? sha256(body));
  const canonicalRequest = [req.method, canonicalUri, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  const expected = hmac(key, stringToSign).toString('hex');
  return expected === signature ? { ok: true, reason: `${service}/${region}` } : { ok: false, reason: 'signature mismatch' };
}
