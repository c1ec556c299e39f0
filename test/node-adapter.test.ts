// The node:http adapter around the fetch-style core: GET/HEAD bodies are told apart from none
// (by the request's framing, then a probe), and the core's whole-buffer answers go out with
// their length in one piece, not chunked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { listen, nodeListener } from '../src/runtimes/node/server.ts';
import type { RequestContext } from '../src/proxy/handler.ts';

/** Writes `raw` on a new connection and returns everything the server sent until it closed. */
function exchange(url: string, raw: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(raw));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
  });
}

test('GET and HEAD: a body announced by Content-Length or chunked framing is seen; none, or a blank one, is not', async () => {
  const seen: (boolean | undefined)[] = [];
  const server = await listen(nodeListener(async (_req: Request, ctx: RequestContext) => {
    seen.push(ctx.bodyOnGetOrHead);
    return new Response('{}', { status: 200 });
  }));
  try {
    const head = (method: string, extra: string) => `${method} /v2/users HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${extra}\r\n`;
    await exchange(server.url, head('GET', ''));
    await exchange(server.url, head('GET', 'Content-Length: 7\r\n') + '{"a":1}');
    await exchange(server.url, head('GET', 'Transfer-Encoding: chunked\r\n') + '2\r\n{}\r\n0\r\n\r\n');
    await exchange(server.url, head('GET', 'Content-Length: 3\r\n') + ' \n ');
    await exchange(server.url, head('HEAD', 'Content-Length: 2\r\n') + '{}');
    assert.deepEqual(seen, [false, true, true, false, true]);
  } finally {
    await server.close();
  }
});

test('answers: a whole body goes with Content-Length, not chunked; HEAD gets no length it would not send; a streamed body is chunked', async () => {
  const server = await listen(nodeListener(async (req: Request) => {
    if (req.headers.get('x-stream') !== null) {
      const parts = ['{"a":', '1}'];
      return new Response(new ReadableStream({ pull(c) { const p = parts.shift(); if (p === undefined) c.close(); else c.enqueue(new TextEncoder().encode(p)); } }));
    }
    return new Response(new TextEncoder().encode('{"users":[]}'), { status: 200, headers: { 'Content-Type': 'application/json' } });
  }));
  try {
    const whole = await exchange(server.url, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.match(whole, /\r\ncontent-length: 12\r\n/i);
    assert.doesNotMatch(whole, /transfer-encoding/i);
    assert.ok(whole.endsWith('\r\n\r\n{"users":[]}'), whole);
    const head = await exchange(server.url, 'HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.match(head, /^HTTP\/1\.1 200 /);
    assert.ok(head.endsWith('\r\n\r\n'), 'no body on HEAD');
    const streamed = await exchange(server.url, 'GET / HTTP/1.1\r\nHost: x\r\nX-Stream: 1\r\nConnection: close\r\n\r\n');
    assert.match(streamed, /transfer-encoding: chunked/i);
    assert.match(streamed, /\r\n5\r\n\{"a":\r\n2\r\n1\}\r\n0\r\n\r\n$/);
  } finally {
    await server.close();
  }
});
