/** ObjectStore on S3 with the AWS SDK v3: HeadObject, GetObject, and a multipart Upload (lib-storage). */
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Readable } from 'node:stream';
import type { ObjectInfo, ObjectStore } from '../../bulk/storage-handler.ts';

export class S3ObjectStore implements ObjectStore {
  private readonly s3: S3Client;
  constructor(s3: S3Client) {
    this.s3 = s3;
  }

  async head(bucket: string, key: string): Promise<ObjectInfo> {
    const h = await this.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { contentType: h.ContentType ?? null, contentEncoding: h.ContentEncoding ?? null, metadata: h.Metadata ?? {} };
  }

  async read(bucket: string, key: string): Promise<Readable> {
    const o = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return o.Body as Readable;
  }

  async write(bucket: string, key: string, body: Readable, info: ObjectInfo): Promise<void> {
    // Multipart: bounded memory for any size; on a body error the upload is aborted (no object).
    await new Upload({
      client: this.s3,
      params: {
        Bucket: bucket, Key: key, Body: body, Metadata: info.metadata,
        ...(info.contentType ? { ContentType: info.contentType } : {}),
        ...(info.contentEncoding ? { ContentEncoding: info.contentEncoding } : {}),
      },
      queueSize: 2,
      partSize: 8 * 1024 * 1024,
      leavePartsOnError: false,
    }).done();
  }
}

