/**
 * One upstream HTTP exchange, as the source call needs it: the status and headers first, then
 * the body read no further than a limit (as received and as decoded), or discarded unread.
 * Redirects are never followed here. Two implementations:
 *
 * - `nodeHttpClient` (the default): node:http / node:https over their global keep-alive agents
 *   (which honour NODE_USE_ENV_PROXY, as fetch does). The body is collected as Buffers and decoded
 *   in one step off the main thread (gzip, deflate, br, as fetch decodes), so a 300-user page
 *   costs about half the CPU time fetch's web streams take.
 * - `fetchClient(fetch)`: any fetch (an injected one), its body read as a web stream.
 *
 * Failures are thrown as Node raised them (a `code` on the error or its cause), for
 * `describeNetworkFailure`; nothing here reads or quotes a path, query, header value or body.
 */
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import * as zlib from 'node:zlib';
import { readAtMost } from './read-bounded.ts';

export interface OutgoingRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface IncomingAnswer {
  status: number;
  headers: Headers;
  /**
   * The body with its Content-Encoding undone, or `tooLarge()` thrown as soon as more than `limit`
   * bytes arrive or decode (a declared Content-Length over it is refused unread). Once only.
   */
  read(limit: number, tooLarge: () => Error): Promise<Buffer>;
  /** Drops the body unread (its connection is closed, not reused). */
  discard(): void;
}

/** Sends one request; the signal ends it (and its body) wherever it stands. */
export type HttpClient = (request: OutgoingRequest, signal: AbortSignal) => Promise<IncomingAnswer>;

/** What undici allows too: more codings than this on one body is an attack, not an encoding. */
const MAX_CODINGS = 5;

/** The exchange over node:http / node:https; a reused keep-alive connection the server had just closed is retried once (GET and HEAD only). */
export const nodeHttpClient: HttpClient = (request, signal) => exchange(request, signal, true);

function exchange(request: OutgoingRequest, signal: AbortSignal, mayRetry: boolean): Promise<IncomingAnswer> {
  return new Promise((resolve, reject) => {
    const url = new URL(request.url);
    const send = url.protocol === 'https:' ? httpsRequest : url.protocol === 'http:' ? httpRequest : null;
    if (send === null) throw Object.assign(new TypeError('only http and https URLs can be called'), { code: 'ERR_INVALID_PROTOCOL' });
    const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
    const headers = body === undefined ? request.headers : { ...request.headers, 'Content-Length': String(body.length) };
    const options: RequestOptions = { method: request.method, headers, signal };
    let answered = false;
    const req = send(url, options, (res) => {
      answered = true;
      try {
        resolve(answerOf(res, request.method));
      } catch (e) {
        res.destroy();
        reject(e as Error);
      }
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (answered) return;
      const stale = req.reusedSocket && (e.code === 'ECONNRESET' || e.code === 'EPIPE') && !signal.aborted;
      if (stale && mayRetry && (request.method === 'GET' || request.method === 'HEAD')) resolve(exchange(request, signal, false));
      else reject(e);
    });
    // Node ends some exchanges with neither an answer nor an error (a 101 with no upgrade
    // listener destroys the socket): without this the call would outlive its deadline and hold
    // its concurrency slot for good. After a retry or an error, this reject is a no-op.
    req.once('close', () => {
      if (!answered) reject(Object.assign(new Error('the connection closed before an answer'), { code: 'ECONNRESET' }));
    });
    req.end(body);
  });
}

function answerOf(res: IncomingMessage, method: string): IncomingAnswer {
  const headers = new Headers();
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i], raw[i + 1]);
  let taken = false;
  return {
    status: res.statusCode ?? 0,
    headers,
    read: (limit, tooLarge) => {
      if (taken) return Promise.reject(new Error('the body was already read'));
      taken = true;
      let codings: Decoder[];
      try {
        // HEAD, 204 and 304 answers have no body: their Content-Length describes the resource.
        const hasBody = method !== 'HEAD' && res.statusCode !== 204 && res.statusCode !== 304;
        const declared = res.headers['content-length']?.trim();
        if (hasBody && declared !== undefined && /^\d+$/.test(declared) && Number(declared) > limit) throw tooLarge();
        codings = method === 'HEAD' ? [] : contentCodings(res.headers['content-encoding']);
      } catch (e) {
        res.destroy();
        return Promise.reject(e as Error);
      }
      return collect(res, limit, tooLarge).then((bytes) => decode(bytes, codings, limit, tooLarge));
    },
    discard: () => {
      taken = true;
      res.on('error', () => undefined);
      res.destroy();
    },
  };
}

/** The chunks as they arrive, stopped (and the connection closed) past the limit. */
function collect(res: IncomingMessage, limit: number, tooLarge: () => Error): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let total = 0;
    let settled = false;
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      parts.length = 0;
      res.destroy();
      reject(e);
    };
    res.on('data', (chunk: Buffer) => {
      if (settled) return;
      total += chunk.length;
      if (total > limit) fail(tooLarge());
      else parts.push(chunk);
    });
    res.once('end', () => {
      if (settled) return;
      settled = true;
      resolve(parts.length === 1 ? parts[0] : Buffer.concat(parts, total));
    });
    res.on('error', fail);
    // A connection closed before the body ended, without an error of its own.
    res.once('close', () => { if (!settled) fail(Object.assign(new Error('the connection closed before the body ended'), { code: 'ECONNRESET' })); });
  });
}

type Decoder = (bytes: Buffer, options: zlib.ZlibOptions, done: (e: Error | null, out: Buffer) => void) => void;

const DECODERS: Record<string, Decoder | null> = {
  identity: null,
  gzip: zlib.gunzip,
  'x-gzip': zlib.gunzip,
  // zlib-wrapped, or raw deflate as some servers send it (fetch accepts both).
  deflate: (bytes, options, done) => ((bytes[0] & 0x0f) === 0x08 ? zlib.inflate : zlib.inflateRaw)(bytes, options, done),
  br: zlib.brotliDecompress as Decoder,
  ...(typeof (zlib as { zstdDecompress?: unknown }).zstdDecompress === 'function' ? { zstd: (zlib as unknown as { zstdDecompress: Decoder }).zstdDecompress } : {}),
};

/**
 * The codings to undo, last applied first; as fetch does, none when one of them is unknown (the
 * body then fails as what it is, not JSON).
 */
function contentCodings(header: string | undefined): Decoder[] {
  if (header === undefined) return [];
  const names = header.split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '');
  if (names.length > MAX_CODINGS) throw Object.assign(new Error('too many content codings'), { code: 'ERR_TOO_MANY_CONTENT_CODINGS' });
  if (names.some((n) => !Object.hasOwn(DECODERS, n))) return [];
  return names.reverse().map((n) => DECODERS[n]).filter((d): d is Decoder => d !== null);
}

/** Each coding undone in one step on libuv's thread pool, its output bounded by the limit. */
async function decode(bytes: Buffer, codings: Decoder[], limit: number, tooLarge: () => Error): Promise<Buffer> {
  let out = bytes;
  for (const decoder of codings) {
    if (out.length === 0) break;
    const input = out;
    out = await new Promise<Buffer>((resolve, reject) => decoder(input, { maxOutputLength: limit }, (e, result) => {
      if (e === null) resolve(result);
      else reject((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? tooLarge() : e);
    }));
  }
  return out;
}

/** The exchange over a fetch (redirects left to the caller); its body read as a stream, bounded. */
export function fetchClient(fetchFn: typeof fetch): HttpClient {
  return async (request, signal) => {
    const response = await fetchFn(request.url, { method: request.method, headers: request.headers, body: request.body, redirect: 'manual', signal });
    return {
      status: response.status,
      headers: response.headers,
      read: (limit, tooLarge) => readAtMost(response.body, response.headers, limit, tooLarge),
      discard: () => { void response.body?.cancel().catch(() => undefined); },
    };
  };
}
