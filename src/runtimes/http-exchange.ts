/**
 * One small HTTP exchange over node:http / node:https (their global keep-alive agents), for the
 * cloud APIs the runtimes call on a cold start (Secret Manager and the metadata server on GCP,
 * SSM on AWS): ~30 requests at once on GCP, where `fetch` costs several times the CPU per request
 * (measured: the GCP cold start's `fetch` calls were ~60 ms of main-thread time under the profiler).
 *
 * node:http is loaded with `require`, not `import`: an ES-module import of node:http reads all its
 * exports, and its lazy `WebSocket` export loads undici (~25 ms).
 */
import { createRequire } from 'node:module';
import type * as Http from 'node:http';

const requireBuiltin = createRequire(import.meta.url);
let http: typeof Http | null = null;
let https: typeof import('node:https') | null = null;

export interface HttpAnswer {
  status: number;
  /** Header names in lower case. */
  headers: Http.IncomingHttpHeaders;
  text: string;
}

export interface HttpExchangeOptions {
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** The whole exchange, from the request to the last byte of the answer. */
  timeoutMs: number;
  /** Longer answers fail (the answers here are a few KiB). */
  maxBytes: number;
  /** The certificates (PEM) to trust instead of Node's roots, for a private endpoint (https only). */
  ca?: string;
}

/** A request that got no whole answer in time. */
export class HttpTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/** The status and the body as text; a failure to get them (network, timeout, too long) rejects. */
export function httpExchange(url: string, o: HttpExchangeOptions): Promise<HttpAnswer> {
  const target = new URL(url);
  const lib = target.protocol === 'https:' ? (https ??= requireBuiltin('node:https') as typeof import('node:https')) : (http ??= requireBuiltin('node:http') as typeof Http);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...o.headers };
    if (o.body !== undefined) headers['Content-Length'] = Buffer.byteLength(o.body);
    const req = lib.request(target, { method: o.method, headers, ...(o.ca && target.protocol === 'https:' ? { ca: o.ca } : {}) });
    let settled = false;
    /** Settles once; a failure also ends the exchange (what the destroyed streams emit then is ignored). */
    const settle = (e: Error | null, answer?: HttpAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (e) {
        req.destroy();
        reject(e);
      } else resolve(answer!);
    };
    const timer = setTimeout(() => settle(new HttpTimeoutError(`timed out after ${o.timeoutMs} ms`)), o.timeoutMs);
    req.on('error', (e) => settle(e));
    req.on('response', (res: Http.IncomingMessage) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > o.maxBytes) settle(new Error(`answer longer than ${o.maxBytes} bytes`));
        else chunks.push(chunk);
      });
      res.on('error', (e) => settle(e));
      res.on('end', () => settle(null, { status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.end(o.body);
  });
}

type Http2 = typeof import('node:http2');
let http2: Http2 | null = null;
/** How long an HTTP/2 session may sit idle before it is closed (the next call opens a fresh one). */
const SESSION_IDLE_MS = 60_000;
/** One HTTP/2 session per origin (and CA), reused by every request until it closes, fails, idles or a request on it times out. */
const sessions = new Map<string, import('node:http2').ClientHttp2Session>();

/**
 * The same exchange over HTTP/2 (`https:` only): every request to an origin shares one connection,
 * so ~30 parallel reads cost one TLS handshake instead of ~30 (measured locally: 32 parallel reads
 * ~100 ms of client CPU over HTTP/1.1, ~45 ms over one HTTP/2 session, module load included).
 * `ca`: the certificates (PEM) to trust instead of Node's roots, for a private endpoint.
 */
export function http2Exchange(url: string, o: HttpExchangeOptions): Promise<HttpAnswer> {
  const target = new URL(url);
  const key = `${target.origin} ${o.ca ?? ''}`;
  let session = sessions.get(key);
  if (!session || session.closed || session.destroyed) {
    http2 ??= requireBuiltin('node:http2') as Http2;
    const s = http2.connect(target.origin, o.ca ? { ca: o.ca } : {});
    const forget = () => { if (sessions.get(key) === s) sessions.delete(key); };
    s.on('error', forget);
    s.on('goaway', forget);
    s.on('close', forget);
    s.unref(); // an idle session keeps no process alive (requests in flight have their timers)
    // A connection gone silent (an expired NAT mapping) would hold every later call until TCP
    // gives up (~15 min): an idle session is closed, and a request timing out drops its session.
    s.setTimeout(SESSION_IDLE_MS, () => s.close());
    sessions.set(key, s);
    session = s;
  }
  const s = session;
  return new Promise((resolve, reject) => {
    let settled = false;
    let stream: import('node:http2').ClientHttp2Stream | null = null;
    const settle = (e: Error | null, answer?: HttpAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (e) {
        stream?.close();
        reject(e);
      } else resolve(answer!);
    };
    // A failing session fails its streams (ERR_HTTP2_STREAM_CANCEL, the cause attached).
    const timer = setTimeout(() => {
      settle(new HttpTimeoutError(`timed out after ${o.timeoutMs} ms`));
      if (sessions.get(key) === s) sessions.delete(key);
      s.destroy();
    }, o.timeoutMs);
    const headers: Record<string, string | number> = { ':method': o.method, ':path': target.pathname + target.search };
    for (const [k, v] of Object.entries(o.headers)) headers[k.toLowerCase()] = v;
    if (o.body !== undefined) headers['content-length'] = Buffer.byteLength(o.body);
    try {
      stream = s.request(headers);
    } catch (e) {
      settle(e as Error);
      return;
    }
    let status = 0;
    let answerHeaders: Http.IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    let bytes = 0;
    stream.on('response', (h) => {
      status = Number(h[':status'] ?? 0);
      answerHeaders = h as Http.IncomingHttpHeaders;
    });
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > o.maxBytes) settle(new Error(`answer longer than ${o.maxBytes} bytes`));
      else chunks.push(chunk);
    });
    stream.on('error', (e) => settle(e));
    stream.on('end', () => settle(status ? null : new Error('the stream ended without an answer'), { status, headers: answerHeaders, text: Buffer.concat(chunks).toString('utf8') }));
    stream.on('close', () => settle(new Error('the stream closed before the answer ended')));
    stream.end(o.body);
  });
}
