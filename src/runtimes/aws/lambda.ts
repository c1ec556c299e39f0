/**
 * The AWS Lambda entry point for the API proxy (`handler`): config from env, then SSM Parameter
 * Store (instance namespace `PSOXY_ZOOM_` by default, shared namespace `PATH_TO_SHARED_CONFIG`),
 * secrets optionally from Secrets Manager; everything built once per container. The SDK clients
 * and the stores that use them load on first use (`LazyStore`): with configuration only in env
 * no SDK is loaded at all.
 */
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { S3Client } from '@aws-sdk/client-s3';
import { ConfigService, configFromEnvOnly, configPrefixes } from '../../config/config-service.ts';
import { createProxyHandler } from '../../proxy/handler.ts';
import { connectorDefaults } from '../../sources/index.ts';
import { jsonLogger, type Logger } from '../../logging/logger.ts';
import { LazyStore } from '../../config/lazy-store.ts';
import { SplitStore, secretNameRule } from './split-store.ts';
import { S3ResourceStore } from './s3-resource-store.ts';
import { resourceStores } from '../../config/resources.ts';
import { lambdaAdapter, type LambdaEventV1, type LambdaEventV2, type LambdaResult } from './api-gateway.ts';

export interface AwsProxyOptions {
  env: Record<string, string | undefined>;
  /** Default: a client with the Lambda's credentials, created on first use. */
  ssm?: SSMClient;
  secretsManager?: SecretsManagerClient;
  /** For REMOTE_RESOURCE_BUCKET (default: an S3 client created on first use). */
  s3?: () => Promise<S3Client>;
  /** psoxy's local resource directory (default /var/psoxy/resources). */
  localResourceDir?: string;
  fetch?: typeof fetch;
  /** Default: JSON lines on stdout (CloudWatch); tests keep them in memory. */
  logger?: Logger;
}

const lazyS3 = async (): Promise<S3Client> => (await import('./s3-get-object.ts')).defaultS3Client();

export function awsConfig(o: AwsProxyOptions): ConfigService {
  const source = o.env.SOURCE;
  const prefixes = configPrefixes(o.env, o.env.AWS_LAMBDA_FUNCTION_NAME ?? 'psoxy');
  const resources = resourceStores({
    env: o.env, instancePrefix: prefixes.instancePrefix, localDir: o.localResourceDir,
    bucketStore: (bucket, path) => new S3ResourceStore(o.s3 ?? lazyS3, bucket, path),
  });
  const base = { env: o.env, ...prefixes, defaults: source ? connectorDefaults(source) : {}, resourceStores: resources };
  if (configFromEnvOnly(o.env)) return new ConfigService(base);
  const ssm = new LazyStore('SSM Parameter Store', async () => {
    const { SsmStore, defaultSsmApi } = await import('./ssm-store.ts');
    return new SsmStore(o.ssm ?? defaultSsmApi(o.env));
  });
  const useSecretsManager = (o.env.SECRETS_STORE ?? '').toUpperCase() === 'AWS_SECRETS_MANAGER';
  const instanceStore = useSecretsManager ? new SplitStore(new LazyStore('Secrets Manager', async () => {
    const { SecretsManagerStore, defaultSecretsManagerApi } = await import('./secrets-manager-store.ts');
    return new SecretsManagerStore(o.secretsManager ?? defaultSecretsManagerApi(o.env), ssm);
  }), ssm, secretNameRule({ source, ...prefixes })) : ssm;
  return new ConfigService({ ...base, instanceStore, sharedStore: instanceStore });
}

export function createAwsProxy(o: AwsProxyOptions) {
  return lambdaAdapter(createProxyHandler({
    config: awsConfig(o),
    fetch: o.fetch,
    logger: o.logger ?? jsonLogger((l) => process.stdout.write(l)),
    functionName: o.env.AWS_LAMBDA_FUNCTION_NAME,
  }));
}

let cached: ReturnType<typeof createAwsProxy> | null = null;

/** Lambda entry point (function URL with AWS_IAM auth, or API Gateway). */
export async function handler(event: LambdaEventV2 | LambdaEventV1): Promise<LambdaResult> {
  cached ??= createAwsProxy({ env: process.env });
  return cached(event);
}
