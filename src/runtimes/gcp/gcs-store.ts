/** ObjectStore on Google Cloud Storage with @google-cloud/storage: raw reads, resumable uploads. */
import type { Storage } from '@google-cloud/storage';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { ObjectInfo, ObjectStore } from '../../bulk/storage-handler.ts';

export class GcsObjectStore implements ObjectStore {
  private readonly storage: Storage;
  constructor(storage: Storage) {
    this.storage = storage;
  }

  async head(bucket: string, key: string): Promise<ObjectInfo> {
    const [m] = await this.storage.bucket(bucket).file(key).getMetadata();
    const metadata = Object.fromEntries(Object.entries(m.metadata ?? {}).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, String(v)]));
    return { contentType: m.contentType ?? null, contentEncoding: m.contentEncoding ?? null, metadata };
  }

  async read(bucket: string, key: string): Promise<Readable> {
    // Raw bytes: no transcoding by the client (psoxy: shouldReturnRawInputStream).
    return this.storage.bucket(bucket).file(key).createReadStream({ decompress: false, validation: false });
  }

  async write(bucket: string, key: string, body: Readable, info: ObjectInfo): Promise<void> {
    // A resumable upload that is never finalized creates no object: a failed body leaves nothing.
    const out = this.storage.bucket(bucket).file(key).createWriteStream({
      resumable: true,
      gzip: false,
      validation: false,
      metadata: {
        ...(info.contentType ? { contentType: info.contentType } : {}),
        ...(info.contentEncoding ? { contentEncoding: info.contentEncoding } : {}),
        metadata: info.metadata,
      },
    });
    await pipeline(body, out);
  }
}
