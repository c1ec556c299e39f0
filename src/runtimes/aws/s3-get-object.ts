/**
 * What remote resources need from the S3 SDK, imported on first use (s3-resource-store.ts,
 * lambda.ts). The SDK is imported statically here so that esbuild keeps only these: a dynamic
 * `import('@aws-sdk/client-s3')` would keep every command of the SDK.
 */
import { S3Client } from '@aws-sdk/client-s3';

export { GetObjectCommand } from '@aws-sdk/client-s3';

/** A client with the Lambda's credentials. */
export function defaultS3Client(): S3Client {
  return new S3Client({});
}
