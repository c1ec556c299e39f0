// The upstream client source calls use by default (node:http / node:https): Content-Encoding
// undone as fetch undoes it, every body bounded as received and as decoded, the connection of a
// refused or discarded body closed, a reused keep-alive connection the server had just dropped
// retried once for GET only, and Node's errors left for describeNetworkFailure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { fetchClient, nodeHttpClient, type HttpClient } from '../src/http/client.ts';
import { callSource } from '../src/proxy/source-call.ts';
import { ProxyError } from '../src/proxy/errors.ts';

const tooLarge = () => new Error('too large');
const never = () => new AbortController().signal;

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; server: Server; sockets: Set<Socket>; close(): Promise<void> }> {
  const server = createServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    sockets,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

const JSON_BODY = JSON.stringify({ users: Array.from({ length: 200 }, (_, i) => ({ id: `u-${i}`, email: `user${i}@acme.example` })) });

const ENCODED: [string, Buffer][] = [
  ['gzip', gzipSync(JSON_BODY)],
  ['x-gzip', gzipSync(JSON_BODY)],
  ['deflate', deflateSync(JSON_BODY)],
  ['deflate', deflateRawSync(JSON_BODY)],
  ['br', brotliCompressSync(JSON_BODY)],
  ['gzip, br', brotliCompressSync(gzipSync(JSON_BODY))],
  ['identity', Buffer.from(JSON_BODY)],
  ['GZIP', gzipSync(JSON_BODY)],
];

for (const [name, client] of [['node:http', nodeHttpClient], ['fetch', fetchClient(fetch)]] as [string, HttpClient][]) {
  test(`${name}: each Content-Encoding fetch knows is undone, one coding or several`, async () => {
    let next: [string, Buffer] = ENCODED[0];
    const up = await serve((_req, res) => { res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': next[0] }); res.end(next[1]); });
    try {
      for (const encoded of ENCODED) {
        next = encoded;
        const answer = await client({ method: 'GET', url: up.url + '/x', headers: {} }, never());
        assert.equal(answer.status, 200);
        assert.ok((await answer.read(1 << 20, tooLarge)).toString('utf8') === JSON_BODY, encoded[0]);
      }
    } finally {
      await up.close();
    }
  });

  test(`${name}: bodies over the limit are refused as received, as announced and as decoded`, async () => {
    const limit = 64 * 1024;
    const cases: [string, (res: ServerResponse) => void][] = [
      ['chunked, over the limit', (res) => { res.writeHead(200); for (let i = 0; i < 100; i++) res.write(Buffer.alloc(1024, 32)); res.end(); }],
      ['announced over the limit', (res) => { res.writeHead(200, { 'Content-Length': String(limit + 1) }); res.write(Buffer.alloc(1024, 32)); }],
      ['gzip that inflates over the limit', (res) => { res.writeHead(200, { 'Content-Encoding': 'gzip' }); res.end(gzipSync(Buffer.alloc(10 * limit, 32))); }],
    ];
    let current = cases[0][1];
    const up = await serve((_req, res) => current(res));
    try {
      for (const [what, behave] of cases) {
        current = behave;
        const answer = await client({ method: 'GET', url: up.url + '/', headers: {} }, never());
        await assert.rejects(answer.read(limit, tooLarge), /too large/, what);
      }
      // The same bodies under a limit they fit pass.
      current = cases[2][1];
      const answer = await client({ method: 'GET', url: up.url + '/', headers: {} }, never());
      assert.equal((await answer.read(16 * limit, tooLarge)).length, 10 * limit);
    } finally {
      await up.close();
    }
  });
}

test('node:http: an unknown coding leaves the body as sent (it then fails as what it is); more than 5 codings is refused', async () => {
  let encoding = 'compress';
  const up = await serve((_req, res) => { res.writeHead(200, { 'Content-Encoding': encoding }); res.end('raw bytes'); });
  try {
    const answer = await nodeHttpClient({ method: 'GET', url: up.url + '/', headers: {} }, never());
    assert.equal((await answer.read(1024, tooLarge)).toString(), 'raw bytes');
    encoding = 'gzip, gzip, gzip, gzip, gzip, gzip';
    const many = await nodeHttpClient({ method: 'GET', url: up.url + '/', headers: {} }, never());
    await assert.rejects(many.read(1024, tooLarge), { code: 'ERR_TOO_MANY_CONTENT_CODINGS' });
  } finally {
    await up.close();
  }
});

test('node:http: a request body goes with its Content-Length; a refused or discarded body closes its connection', async () => {
  const received: { method: string; length: string | undefined; body: string }[] = [];
  const up = await serve((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      received.push({ method: req.method!, length: req.headers['content-length'], body });
      res.writeHead(200, { 'Content-Length': String(100_000) });
      res.end(Buffer.alloc(100_000, 32));
    });
  });
  try {
    const posted = await nodeHttpClient({ method: 'POST', url: up.url + '/', headers: { 'Content-Type': 'application/json' }, body: '{"q":"é"}' }, never());
    assert.deepEqual(received[0], { method: 'POST', length: '10', body: '{"q":"é"}' });
    await assert.rejects(posted.read(10, tooLarge), /too large/);
    const discarded = await nodeHttpClient({ method: 'GET', url: up.url + '/', headers: {} }, never());
    discarded.discard();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(up.sockets.size, 0, 'no connection left open after a refused and a discarded body');
  } finally {
    await up.close();
  }
});

test('node:http: a kept-alive connection the server drops is retried once on a new one for GET, never for POST', async () => {
  let served = 0;
  const up = await serve((req, res) => {
    served++;
    // Every second request on a connection: the connection is cut before any answer, as a server
    // closing an idle connection just as it is reused would do.
    const socket = req.socket as Socket & { uses?: number };
    socket.uses = (socket.uses ?? 0) + 1;
    if (socket.uses > 1) { socket.resetAndDestroy(); return; }
    res.end('ok');
  });
  try {
    const get = () => nodeHttpClient({ method: 'GET', url: up.url + '/', headers: {} }, never()).then((a) => a.read(100, tooLarge));
    assert.equal((await get()).toString(), 'ok');
    assert.equal((await get()).toString(), 'ok', 'the reused connection failed; a new one answered');
    assert.equal(served, 3);
    const post = nodeHttpClient({ method: 'POST', url: up.url + '/', headers: {}, body: '{}' }, never());
    await assert.rejects(post, { code: 'ECONNRESET' });
  } finally {
    await up.close();
  }
});

test('source call: response headers over the client limit are 502 SOURCE_RESPONSE_TOO_LARGE; a hang past the deadline is 504', async () => {
  let hang = false;
  const up = await serve((_req, res) => {
    if (hang) return;
    res.writeHead(200, { 'X-Big': 'x'.repeat(40 * 1024) });
    res.end('{}');
  });
  const options = (deadline: AbortSignal) => ({
    client: nodeHttpClient, deadline, timeoutMs: 200, maxResponseBytes: 1024, followRedirects: true, basePath: '', redirectAllowed: () => true,
  });
  try {
    const big = await callSource({ method: 'GET', url: up.url + '/v2/users', headers: {} }, options(never())).then(() => null, (e: unknown) => e);
    assert.ok(big instanceof ProxyError && big.status === 502 && big.code === 'SOURCE_RESPONSE_TOO_LARGE', String(big));
    hang = true;
    const late = await callSource({ method: 'GET', url: up.url + '/v2/users', headers: {} }, options(AbortSignal.timeout(200))).then(() => null, (e: unknown) => e);
    assert.ok(late instanceof ProxyError && late.status === 504 && late.code === 'SOURCE_API_READ_TIMEOUT', String(late));
  } finally {
    await up.close();
  }
});

test('node:http: a 101 from the source (no upgrade asked for) fails the call at once instead of outliving its deadline', { timeout: 10_000 }, async () => {
  const { createServer: createTcpServer } = await import('node:net');
  const raw = createTcpServer((socket) => {
    socket.once('data', () => socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'));
  });
  await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(raw.address() as AddressInfo).port}/x`;
    // No deadline at all: only the close of the exchange can end the call.
    const failed = await nodeHttpClient({ method: 'GET', url, headers: {} }, never()).then(() => null, (e: NodeJS.ErrnoException) => e);
    assert.equal(failed?.code, 'ECONNRESET', String(failed));
  } finally {
    await new Promise((resolve) => raw.close(resolve));
  }
});

for (const [name, client] of [['node:http', nodeHttpClient], ['fetch', fetchClient(fetch)]] as [string, HttpClient][]) {
  test(`${name}: a HEAD or 304 answer declaring a Content-Length over the limit has no body to refuse`, async () => {
    const up = await serve((req, res) => {
      res.writeHead(req.method === 'HEAD' ? 200 : 304, { 'Content-Length': String(64 << 20) });
      res.end();
    });
    try {
      for (const method of ['HEAD', 'GET']) {
        const answer = await client({ method, url: up.url + '/big', headers: {} }, never());
        assert.equal((await answer.read(1024, tooLarge)).length, 0, method);
      }
    } finally {
      await up.close();
    }
  });
}
