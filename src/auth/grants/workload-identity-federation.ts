/**
 * `GRANT_TYPE=workload_identity_federation` (psoxy's Microsoft 365 grant): client credentials
 * where the client assertion is the identity token of the platform the proxy runs on, which the
 * Entra app trusts through a federated identity credential. No secret is stored anywhere.
 *
 * The platform is the runtime's (psoxy binds one subclass per cloud): AWS Lambda
 * (`AWS_LAMBDA_FUNCTION_NAME` in the process environment) gets a Cognito developer-identity token,
 * Cloud Functions / Cloud Run (`K_SERVICE`) the metadata server's identity token. Elsewhere
 * (`psoxy serve`), the settings decide: IDENTITY_POOL_ID means Cognito, AUDIENCE the metadata server.
 */
import { InvalidConfigError, type ConfigService } from '../../config/config-service.ts';
import type { GrantDefinition } from '../grants.ts';
import type { AuthDeps } from '../strategies.ts';
import { requestToken, type IssuedToken } from '../token-endpoint.ts';
import { JWT_BEARER_ASSERTION_TYPE } from './client-credentials-jwt.ts';
import { entraHint } from './entra-hint.ts';

type Platform = 'aws' | 'gcp';

const COMMON = ['CLIENT_ID', 'TOKEN_SCOPE'];
const PLATFORM_SETTINGS: Record<Platform, string[]> = {
  aws: ['IDENTITY_POOL_ID', 'IDENTITY_ID', 'DEVELOPER_NAME_ID'],
  gcp: ['AUDIENCE'],
};
const CREDENTIAL: Record<Platform, string> = {
  aws: 'the app\'s federated credential for this Cognito identity (issuer cognito-identity.amazonaws.com, audience IDENTITY_POOL_ID, subject IDENTITY_ID)',
  gcp: 'the app\'s federated credential for this service account (issuer https://accounts.google.com, audience AUDIENCE, subject the service account\'s unique id)',
};

async function platformOf(config: ConfigService): Promise<Platform | null> {
  if (config.processEnv('AWS_LAMBDA_FUNCTION_NAME') !== undefined) return 'aws';
  if (config.processEnv('K_SERVICE') !== undefined) return 'gcp';
  if ((await config.get('IDENTITY_POOL_ID')) !== undefined) return 'aws';
  if ((await config.get('AUDIENCE')) !== undefined) return 'gcp';
  return null;
}

export const workloadIdentityFederationGrant: GrantDefinition = {
  required: async (config) => {
    const platform = await platformOf(config);
    return [...COMMON, ...(platform ? PLATFORM_SETTINGS[platform] : [])];
  },
  invalid: async (config) => (await platformOf(config)) !== null ? [] : [new InvalidConfigError(
    'workload_identity_federation needs the platform\'s identity: on AWS set IDENTITY_POOL_ID, IDENTITY_ID and DEVELOPER_NAME_ID (Cognito), on GCP set AUDIENCE (metadata server)',
    'IDENTITY_POOL_ID')],
  sharedByDefault: false,
  create: async (config, endpoint, deps) => {
    const platform = (await platformOf(config))!;
    const assertion = await assertionSource(platform, config, deps);
    const hint = entraHint(CREDENTIAL[platform]);
    return async (): Promise<IssuedToken> => {
      const clientId = (await config.require('CLIENT_ID')).trim();
      // psoxy sends the form sorted by name.
      const form = new URLSearchParams({
        client_assertion: await assertion(clientId),
        client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
        client_id: clientId,
        grant_type: 'client_credentials',
        scope: (await config.require('TOKEN_SCOPE')).trim(),
      });
      return requestToken({ endpoint, headers: {}, body: form.toString(), hint }, { fetch: deps.fetch, userAgent: deps.userAgent, timeoutMs: deps.timeoutMs });
    };
  },
};

/** A fresh platform identity token per exchange (they live minutes; Entra checks their expiry). */
async function assertionSource(platform: Platform, config: ConfigService, deps: AuthDeps): Promise<(clientId: string) => Promise<string>> {
  const timeoutMs = deps.timeoutMs ?? 30_000;
  if (platform === 'gcp') {
    const { metadataIdentityToken, DEFAULT_METADATA_HOST } = await import('../../runtimes/gcp/metadata-identity-token.ts');
    const host = config.processEnv('GCE_METADATA_HOST') ?? DEFAULT_METADATA_HOST;
    return async () => metadataIdentityToken({ host, audience: (await config.require('AUDIENCE')).trim(), fetch: deps.fetch, timeoutMs });
  }
  const { cognitoClient, cognitoIdentityToken } = await import('../../runtimes/aws/cognito-identity-token.ts');
  const poolId = (await config.require('IDENTITY_POOL_ID')).trim();
  const client = await cognitoClient(poolId, config.processEnv('AWS_ENDPOINT_URL_COGNITO_IDENTITY'), timeoutMs);
  return async (clientId) => cognitoIdentityToken(client, {
    identityPoolId: poolId,
    identityId: (await config.require('IDENTITY_ID')).trim(),
    developerName: (await config.require('DEVELOPER_NAME_ID')).trim(),
    login: clientId,
  });
}
