/**
 * The response stage: what of the source's answer reaches the caller. Headers pass only when
 * they check out; 2xx bodies are sanitized by the matched endpoint's rules; other bodies are
 * summarized (SOURCE_ERROR_BODY); every body then goes through the outbound leak guard.
 */
import { gzip, gunzipSync } from 'node:zlib';
import { MissingEncryptionKeyError } from '../pseudonym/pseudonymizer.ts';
import { MalformedResponseError } from '../sanitizer/sanitizer.ts';
import { TransformError } from '../sanitizer/transforms.ts';
import { redactLeaks, scanForLeaks, type LeakGuardMode } from '../guard/leak-guard.ts';
import type { Logger } from '../logging/logger.ts';
import { ProxyError } from './errors.ts';
import { PSOXY_COMPAT_VERSION } from './health.ts';
import { checkSourceJson, sourceTooLarge } from './limits.ts';
import { passThroughHeaders } from './response-headers.ts';
import type { Runtime } from './runtime.ts';
import type { SourceResponse } from './source-call.ts';
import { summarizeSourceError } from './source-error.ts';

const COMPRESSION_THRESHOLD = 2048;
/**
 * zlib level 1: sanitized pages are mostly pseudonyms (random to the compressor), so level 6
 * (zlib's default) takes ~60% longer for ~3% fewer bytes (300-user page: 1.2 vs 2.0 ms, 50.6 vs
 * 49.1 KB of 117 KB).
 */
export const RESPONSE_GZIP_LEVEL = 1;
/** On libuv's thread pool: compressing a 300-user page takes ~1.2 ms, which would block other requests. */
const gzipAsync = (body: Buffer) => new Promise<Buffer>((resolve, reject) => gzip(body, { level: RESPONSE_GZIP_LEVEL }, (e, out) => (e ? reject(e) : resolve(out))));

export interface Answer {
  source: SourceResponse;
  /** The rules endpoint that allowed the call; null under `allowAllEndpoints` with no match. */
  endpointIndex: number | null;
  /** Development mode with `X-Psoxy-Skip-Sanitizer: true`. */
  skipSanitizer: boolean;
  /** Plaintexts of the tokens this request carried: the caller must not learn them from the answer. */
  decrypted: string[];
}

/** Shorter plaintexts (a count, a flag) occur by chance; only longer ones are looked for. */
const MIN_REFLECTED_LENGTH = 8;

export async function respond(rt: Runtime, request: Request, answer: Answer, logger: Logger): Promise<Response> {
  const { source } = answer;
  // A status a response cannot carry (fetch gives 200..599; anything else) is the source's fault.
  if (source.status < 200 || source.status > 599) throw new ProxyError(502, 'API_ERROR', 'Source answered with an invalid HTTP status');
  const reflected = reflectionForms(answer.decrypted);
  const headers = passThroughHeaders(source.headers, (header, reason) => logger.warn('source response header dropped', { header, reason }),
    (value) => reflected.some((r) => value.includes(r)));
  if (source.status < 200 || source.status >= 300) {
    headers.set('X-Psoxy-Error', 'API_ERROR');
    logger.warn('source API error', { status: source.status });
    let body = source.body.toString('utf8');
    if (rt.sourceErrorBody === 'summary') {
      body = summarizeSourceError(source.status, source.body);
      headers.set('content-type', 'application/json');
    }
    return finish(request, source.status, headers, guard(rt.leakGuard, body, reflected, logger));
  }
  let text = await sanitizedText(rt, request, answer, logger);
  if (!answer.skipSanitizer) text = guard(rt.leakGuard, text, reflected, logger);
  headers.set('X-Psoxy-Rules-SHA', rt.rulesSha);
  headers.set('X-Psoxy-Psoxy-Version', PSOXY_COMPAT_VERSION);
  headers.set('X-Psoxy-PII-Salt-Sha256', rt.saltHash);
  return finish(request, source.status, headers, text.trim());
}

async function sanitizedText(rt: Runtime, request: Request, answer: Answer, logger: Logger): Promise<string> {
  let bytes = answer.source.body;
  // psoxy: a body typed application/gzip is NDJSON to gunzip (bounded like any other body).
  if (mediaType(answer.source.headers.get('content-type')) === 'application/gzip') bytes = gunzipBounded(bytes, rt.limits.maxSourceResponseBytes);
  const text = bytes.toString('utf8');
  if (answer.skipSanitizer || answer.endpointIndex === null || text.trim() === '') return text;
  checkSourceJson(text, rt.limits);
  await rt.keysReady;
  try {
    return rt.sanitizer.sanitizeForEndpoint(answer.endpointIndex, text, { pseudonymImplementation: request.headers.get('X-Psoxy-Pseudonym-Implementation') });
  } catch (e) {
    if (e instanceof MalformedResponseError || e instanceof TransformError || e instanceof MissingEncryptionKeyError) {
      logger.error('response could not be sanitized', { reason: e.message });
      throw new ProxyError(500, 'SANITIZATION_FAILED', `Response could not be sanitized: ${e.message}`);
    }
    throw e;
  }
}

function gunzipBounded(bytes: Buffer, limit: number): Buffer {
  try {
    return gunzipSync(bytes, { maxOutputLength: limit });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw sourceTooLarge(limit);
    throw new ProxyError(500, 'SANITIZATION_FAILED', 'Response could not be sanitized: application/gzip body is not valid gzip');
  }
}

/** How a decrypted plaintext could appear in a response: as is, URL-encoded once or twice, JSON-escaped. */
function reflectionForms(decrypted: string[]): string[] {
  const forms = decrypted.filter((p) => p.length >= MIN_REFLECTED_LENGTH).flatMap((p) => {
    const once = encodeURIComponent(p);
    return [p, once, encodeURIComponent(once), JSON.stringify(p).slice(1, -1)];
  });
  return [...new Set(forms)];
}

/**
 * The outbound leak guard: personal data not in token form, and plaintexts of this request's
 * tokens reflected back, are logged, redacted or blocked (counts only are logged).
 */
function guard(mode: LeakGuardMode, text: string, reflected: string[], logger: Logger): string {
  if (mode === 'off') return text;
  const echoes = reflected.filter((r) => text.includes(r));
  if (mode === 'redact') {
    let out = text;
    for (const r of echoes) out = out.replaceAll(r, '[redacted-token-value]');
    const { text: redacted, counts } = redactLeaks(out);
    if (counts.email + counts.phone + counts.ip + echoes.length > 0) logger.warn('leak guard redacted values that look like personal data', { ...counts, reflectedTokenValues: echoes.length });
    return redacted;
  }
  const counts = scanForLeaks(text);
  if (counts.email + counts.phone + counts.ip + echoes.length === 0) return text;
  logger.warn(`leak guard found values that look like personal data${mode === 'block' ? '; response blocked' : ''}`, { ...counts, reflectedTokenValues: echoes.length });
  if (mode === 'block') {
    throw new ProxyError(502, 'LEAK_GUARD_BLOCKED', 'The response held values that look like personal data and are not pseudonymized; it was blocked (LEAK_GUARD). Review the rules for this endpoint.');
  }
  return text;
}

const mediaType = (contentType: string | null) => (contentType ?? '').split(';')[0].trim().toLowerCase();

/** Whether the caller accepts gzip (`gzip;q=0` refuses it). */
function acceptsGzip(request: Request): boolean {
  return (request.headers.get('Accept-Encoding') ?? '').split(',').some((part) => {
    const [coding, ...params] = part.split(';').map((x) => x.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return (coding === 'gzip' || coding === '*') && (q === undefined || Number(q.slice(2)) > 0);
  });
}

async function finish(request: Request, status: number, headers: Headers, text: string): Promise<Response> {
  if (status === 204 || status === 205 || status === 304) return new Response(null, { status, headers });
  const body = utf8Bytes(text);
  if (acceptsGzip(request) && body.length >= COMPRESSION_THRESHOLD) {
    headers.set('Content-Encoding', 'gzip');
    return new Response(bytesOf(await gzipAsync(body)), { status, headers });
  }
  return new Response(bytesOf(body), { status, headers });
}

/**
 * UTF-8 bytes of the text. ASCII text (one byte per UTF-16 unit: any other unit takes 2 to 4
 * bytes) is copied byte for byte, about 4 times faster than V8's UTF-8 writer on a 100 KB page.
 */
export function utf8Bytes(text: string): Buffer {
  return Buffer.byteLength(text, 'utf8') === text.length ? Buffer.from(text, 'latin1') : Buffer.from(text, 'utf8');
}

/** The Buffer's bytes as the Uint8Array a Response takes, without copying them. */
const bytesOf = (b: Buffer) => new Uint8Array(b.buffer as ArrayBuffer, b.byteOffset, b.byteLength);
