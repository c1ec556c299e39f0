/**
 * The plain Node adapter: a node:http (or, given a certificate, node:https) server around a
 * fetch-style handler. It passes the raw request target (no URL normalization), the socket's
 * client IP and the scheme: what a reverse proxy says (`X-Forwarded-Proto`) when it says so, else
 * https on a TLS socket, else unknown, as in psoxy.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { unsendableMethodResponse, type RequestContext } from '../../proxy/handler.ts';

export type FetchHandler = (request: Request, context: RequestContext) => Promise<Response>;

/** How much of a GET/HEAD body is read to tell whether it is blank (the rest is discarded). */
const GET_BODY_PROBE_BYTES = 64 * 1024;

/**
 * The body is not buffered here: the core reads it as a stream, no further than its limit.
 * fetch Requests cannot carry GET/HEAD bodies, so for those a short probe says whether one came.
 */
async function toRequest(req: IncomingMessage, origin: string): Promise<{ request: Request; bodyOnGetOrHead: boolean }> {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
  }
  const method = req.method ?? 'GET';
  // Only a placeholder: the core reads the raw URL from the context.
  const url = origin + '/';
  if (method === 'GET' || method === 'HEAD') {
    // Without Content-Length or Transfer-Encoding, HTTP/1.1 requests have no body: nothing to probe.
    const mayHaveBody = req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
    return { request: new Request(url, { method, headers }), bodyOnGetOrHead: mayHaveBody && await hasNonBlankBody(req) };
  }
  return { request: new Request(url, { method, headers, body: bodyStream(req), duplex: 'half' } as RequestInit), bodyOnGetOrHead: false };
}

/**
 * The request body as a web stream with back-pressure. When the core stops reading (a body over
 * its limit), the rest is discarded as it arrives, never held; the response then closes the
 * connection.
 */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let open = true;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on('data', (chunk: Buffer) => {
        if (!open) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.once('end', () => { if (open) { open = false; controller.close(); } });
      req.once('error', (e) => { if (open) { open = false; controller.error(e); } });
    },
    pull() {
      req.resume();
    },
    cancel() {
      open = false;
      req.resume();
    },
  }, { highWaterMark: 4 });
}

/** Stops reading (without destroying the socket) as soon as the answer is known. */
function hasNonBlankBody(req: IncomingMessage): Promise<boolean> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    const settle = (answer: boolean) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', reject);
      req.pause();
      resolve(answer);
    };
    const onEnd = () => settle(false);
    const onData = (c: Buffer) => {
      seen += c.length;
      if (c.toString('utf8').trim() !== '' || seen > GET_BODY_PROBE_BYTES) settle(true);
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', reject);
  });
}

/**
 * The core's bodies are whole buffers (one chunk): sent with their length in one write, not
 * chunked. A body in several chunks is streamed as it comes.
 */
async function writeResponse(res: ServerResponse, response: Response, req: IncomingMessage): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((v, k) => { headers[k] = v; });
  // A body left unread (refused over its limit): close rather than drain the rest.
  if (!req.complete) headers.connection = 'close';
  const reader = response.body?.getReader();
  const first = reader ? await reader.read() : null;
  if (!reader || !first || first.done) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  const second = await reader.read();
  if (second.done) {
    if (req.method !== 'HEAD') headers['content-length'] = String(first.value.byteLength);
    res.writeHead(response.status, headers);
    res.end(first.value);
    return;
  }
  res.writeHead(response.status, headers);
  res.write(first.value);
  for (let r: ReadableStreamReadResult<Uint8Array> = second; !r.done; r = await reader.read()) res.write(r.value);
  res.end();
}

export function nodeListener(handler: FetchHandler) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const unsendable = unsendableMethodResponse(req.method ?? 'GET');
      if (unsendable) {
        await writeResponse(res, unsendable, req);
        return;
      }
      // The Host header plays no part in routing (the raw URL does): a fixed origin cannot fail to parse.
      const origin = 'http://proxy.invalid';
      const clientIp = req.socket.remoteAddress ?? null;
      const { request, bodyOnGetOrHead } = await toRequest(req, origin);
      const proto = req.headers['x-forwarded-proto'];
      const response = await handler(request, {
        rawUrl: req.url ?? '/',
        clientIp,
        https: typeof proto === 'string' ? proto.toLowerCase() === 'https' : req.socket instanceof TLSSocket ? true : null,
        bodyOnGetOrHead,
      });
      await writeResponse(res, response, req);
    } catch {
      if (!res.headersSent) res.writeHead(500, { 'X-Psoxy-Error': 'UNKNOWN', 'Content-Type': 'text/plain' });
      res.end('Unknown internal proxy error; review logs');
    }
  };
}

export interface RunningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** A PEM certificate (chain) and its private key: the server then speaks HTTPS only. */
export interface TlsCredentials { cert: string; key: string }

/** Listens on host:port (port 0 = any free port) and resolves once listening. */
export function listen(listener: (req: IncomingMessage, res: ServerResponse) => void, port = 0, host = '127.0.0.1', tls?: TlsCredentials): Promise<RunningServer> {
  const server: Server = tls ? createHttpsServer(tls, listener) : createServer(listener);
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: p } = server.address() as AddressInfo;
      resolve({
        server,
        url: `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${p}`,
        close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
      });
    });
  });
}
