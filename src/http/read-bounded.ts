/** Reading an HTTP body no further than a limit: what is over it is never held. */

/**
 * The whole body, or `tooLarge()` thrown as soon as more than `limit` bytes arrive (a declared
 * Content-Length over the limit is refused before reading). The stream is cancelled either way.
 */
export async function readAtMost(body: ReadableStream<Uint8Array> | null, headers: Headers, limit: number, tooLarge: () => Error): Promise<Buffer> {
  const declared = headers.get('content-length')?.trim();
  if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > limit) {
    await body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (body === null) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}
