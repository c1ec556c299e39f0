// Real AWS SDK v3 / Google Cloud clients pointed at the local fakes (no credentials, no network).
import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { OAuth2Client } from 'google-auth-library';

/** Options for an AWS SDK v3 client that talks to a fake at `endpoint`. */
export const awsClientConfig = (endpoint: string) => ({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

/** A Secret Manager client (REST transport) for the fake at `endpoint`. */
export function secretManagerClient(endpoint: { host: string; port: number }): SecretManagerServiceClient {
  // A real auth client holding a test token: no metadata server, no network.
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: 'test-token', expiry_date: Date.now() + 3_600_000 });
  // Our google-auth-library is a newer minor than google-gax's own copy: same runtime API, distinct types.
  const options = { fallback: true, apiEndpoint: endpoint.host, port: endpoint.port, protocol: 'http', authClient: auth };
  return new SecretManagerServiceClient(options as unknown as ConstructorParameters<typeof SecretManagerServiceClient>[0]);
}
