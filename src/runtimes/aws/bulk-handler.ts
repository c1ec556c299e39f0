/**
 * AWS bulk mode: a Lambda handler for S3 `ObjectCreated` events (first record only, key
 * URL-decoded, as psoxy's S3Handler), sanitizing into OUTPUT_BUCKET. Returns `Processed!`.
 */
import { S3Client } from '@aws-sdk/client-s3';
import type { ConfigService } from '../../config/config-service.ts';
import { awsConfig } from './lambda.ts';
import { StorageHandler, type ObjectResult } from '../../bulk/storage-handler.ts';
import { S3ObjectStore } from './s3-store.ts';
import { bulkConfig } from '../bulk-config.ts';
import { jsonLogger, type Logger } from '../../logging/logger.ts';

export interface S3Event {
  Records: { s3: { bucket: { name: string }; object: { key: string } } }[];
}

/** S3 event keys are form-encoded: `+` is a space. */
export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

export function createS3BulkHandler(deps: { s3: S3Client; config: ConfigService; logger?: Logger; instanceId: string; onResult?: (r: ObjectResult[]) => void }) {
  const logger = deps.logger ?? jsonLogger();
  return async (event: S3Event): Promise<string> => {
    const record = event.Records?.[0];
    if (!record) throw new Error('S3 event has no records');
    const bucket = record.s3.bucket.name;
    const key = decodeS3Key(record.s3.object.key);
    const { handler, pseudonymizer } = await bulkConfig(deps.config, deps.instanceId);
    const results = await new StorageHandler(new S3ObjectStore(deps.s3), handler, pseudonymizer, logger).handle(bucket, key);
    deps.onResult?.(results);
    return 'Processed!';
  };
}

let cached: ReturnType<typeof createS3BulkHandler> | null = null;

/**
 * The Lambda entry point: config as the API function reads it (env, then SSM or Secrets Manager,
 * the shared salt and key, rules from REMOTE_RESOURCE_BUCKET), built once per container.
 */
export const handler = async (event: S3Event): Promise<string> => {
  if (!cached) {
    const s3 = new S3Client({});
    cached = createS3BulkHandler({
      s3,
      config: awsConfig({ env: process.env, s3: async () => s3 }),
      instanceId: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'psoxy-bulk',
    });
  }
  return cached(event);
};
