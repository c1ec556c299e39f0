// Real AWS SDK v3 / Google Cloud clients pointed at the local fakes (no credentials, no network).
import { SecretManagerRest } from '../../src/runtimes/gcp/secret-manager-rest.ts';

/** Options for an AWS SDK v3 client that talks to a fake at `endpoint`. */
export const awsClientConfig = (endpoint: string) => ({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

/** The proxy's Secret Manager REST client for the fake at `endpoint`, with a test token (no metadata server). */
export function secretManagerClient(endpoint: { host: string; port: number }): SecretManagerRest {
  return new SecretManagerRest({ endpoint: `http://${endpoint.host}:${endpoint.port}`, accessToken: async () => 'test-token' });
}
