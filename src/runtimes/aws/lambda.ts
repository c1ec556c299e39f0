/**
 * The AWS Lambda entry point for the API proxy (`handler`): config from env, then SSM Parameter
 * Store (instance namespace `PSOXY_ZOOM_` by default, shared namespace `PATH_TO_SHARED_CONFIG`),
 * secrets optionally from Secrets Manager; everything built once per container.
 */
import { SSMClient } from '@aws-sdk/client-ssm';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigService, configFromEnvOnly, configPrefixes } from '../../config/config-service.ts';
import { createProxyHandler } from '../../proxy/handler.ts';
import { connectorDefaults } from '../../sources/index.ts';
import { jsonLogger } from '../../logging/logger.ts';
import { SsmStore } from './ssm-store.ts';
import { SecretsManagerStore } from './secrets-manager-store.ts';
import { SplitStore } from './split-store.ts';
import { lambdaAdapter, type LambdaEventV1, type LambdaEventV2, type LambdaResult } from './api-gateway.ts';

export interface AwsProxyOptions {
  env: Record<string, string | undefined>;
  ssm: SSMClient;
  secretsManager?: SecretsManagerClient;
  fetch?: typeof fetch;
}

export function awsConfig(o: AwsProxyOptions): ConfigService {
  const source = o.env.SOURCE;
  const base = { env: o.env, ...configPrefixes(o.env, o.env.AWS_LAMBDA_FUNCTION_NAME ?? 'psoxy'), defaults: source ? connectorDefaults(source) : {} };
  if (configFromEnvOnly(o.env)) return new ConfigService(base);
  const ssm = new SsmStore(o.ssm);
  const useSecretsManager = (o.env.SECRETS_STORE ?? '').toUpperCase() === 'AWS_SECRETS_MANAGER';
  const instanceStore = useSecretsManager ? new SplitStore(new SecretsManagerStore(o.secretsManager ?? new SecretsManagerClient({}), ssm), ssm) : ssm;
  return new ConfigService({ ...base, instanceStore, sharedStore: instanceStore });
}

export function createAwsProxy(o: AwsProxyOptions) {
  return lambdaAdapter(createProxyHandler({
    config: awsConfig(o),
    fetch: o.fetch,
    logger: jsonLogger((l) => process.stdout.write(l)),
    functionName: o.env.AWS_LAMBDA_FUNCTION_NAME,
  }));
}

let cached: ReturnType<typeof createAwsProxy> | null = null;

/** Lambda entry point (function URL with AWS_IAM auth, or API Gateway). */
export async function handler(event: LambdaEventV2 | LambdaEventV1): Promise<LambdaResult> {
  cached ??= createAwsProxy({ env: process.env, ssm: new SSMClient({}) });
  return cached(event);
}
