/** Reading an HTTP body no further than a limit: what is over it is never held. */

/**
 * The whole body, or `tooLarge()` thrown as soon as more than `limit` bytes arrive (a declared
 * Content-Length over the limit is refused before reading). The stream is cancelled either way.
 */
export async function readAtMost(body: ReadableStream<Uint8Array> | null, headers: Headers, limit: number, tooLarge: () => Error): Promise<Buffer> {
  // No body (HEAD, 204, 304): a Content-Length there describes the resource, not bytes to read.
  if (body === null) return Buffer.alloc(0);
  const declared = headers.get('content-length')?.trim();
  if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > limit) {
    await body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  // Node's web streams are async-iterable (breaking out cancels them); the DOM lib's type omits it.
  return collectAtMost(body as unknown as AsyncIterable<Uint8Array>, limit, tooLarge);
}

/**
 * The chunks of any byte stream, or `tooLarge()` thrown as soon as more than `limit` bytes arrive;
 * leaving the loop early cancels the source.
 */
export async function collectAtMost(chunks: AsyncIterable<Uint8Array>, limit: number, tooLarge: () => Error): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.byteLength;
    if (total > limit) throw tooLarge();
    parts.push(chunk);
  }
  return Buffer.concat(parts, total);
}
