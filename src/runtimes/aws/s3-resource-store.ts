/**
 * psoxy's remote resources on AWS: `s3://REMOTE_RESOURCE_BUCKET/<instance path><name>`, read with
 * GetObject only (psoxy grants no ListBucket, so a missing object answers AccessDenied: both read
 * as absent, and the refusal is reported). The S3 client is loaded on first use: deployments
 * without remote resources never pay for it on a cold start.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { TransientConfigError, type ConfigStore } from '../../config/store.ts';
import { readResourceBytes, resourceTooLarge, MAX_RESOURCE_BYTES } from '../../config/resources.ts';
import { awsErrorName, awsFailureCause } from './error-name.ts';

export class S3ResourceStore implements ConfigStore {
  readonly description: string;
  private readonly client: () => Promise<S3Client>;
  private readonly bucket: string;
  private readonly path: string;
  private readonly refused = new Set<string>();
  constructor(client: () => Promise<S3Client>, bucket: string, path: string) {
    this.client = client;
    this.bucket = bucket;
    this.path = path;
    this.description = `S3 s3://${bucket}/${path}`;
  }

  async get(name: string): Promise<string | undefined> {
    const where = `s3://${this.bucket}/${this.path}${name}`;
    const { GetObjectCommand } = await import('./s3-get-object.ts');
    let object;
    try {
      object = await (await this.client()).send(new GetObjectCommand({ Bucket: this.bucket, Key: this.path + name }));
    } catch (e) {
      const error = awsErrorName(e);
      if (error === 'NoSuchKey') return this.absent(name, false);
      if (error === 'AccessDenied') return this.absent(name, true);
      throw new TransientConfigError(`S3: reading ${where} failed: ${awsFailureCause(e)}`);
    }
    this.refused.delete(name);
    if ((object.ContentLength ?? 0) > MAX_RESOURCE_BYTES) {
      await (object.Body as { destroy?: () => void } | undefined)?.destroy?.();
      throw resourceTooLarge(where);
    }
    return readResourceBytes(object.Body as AsyncIterable<Uint8Array>, where);
  }

  problemWith(name: string): string | undefined {
    return this.refused.has(name) ? 'denied or missing' : undefined;
  }

  private absent(name: string, refused: boolean): undefined {
    if (refused) this.refused.add(name);
    else this.refused.delete(name);
    return undefined;
  }
}
