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
    const req = lib.request(target, { method: o.method, headers });
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
