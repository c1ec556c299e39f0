/**
 * psoxy's `client_credentials` grant, whose client authentication `CREDENTIALS_FLOW` picks:
 * - `client_secret` (Salesforce): the form `grant_type=client_credentials`, `client_id`,
 *   `client_secret`;
 * - `jwt_assertion` (psoxy's default when CREDENTIALS_FLOW is unset): an RS256 client assertion.
 * psoxy reads any other value as `jwt_assertion`; here it is a configuration error, so a typo
 * such as `client-secret` is named rather than turned into a missing PRIVATE_KEY.
 */
import { InvalidConfigError, type ConfigService } from '../../config/config-service.ts';
import type { GrantDefinition } from '../grants.ts';
import type { AuthDeps } from '../strategies.ts';
import { requestToken, type IssuedToken } from '../token-endpoint.ts';
import { rotatingGrant } from '../credential-rotation.ts';
import { clientSecretHint, readClientCredentials } from './refresh-token.ts';
import { jwtAssertionFlow } from './client-credentials-jwt.ts';

export interface CredentialsFlow {
  /** Settings the flow reads besides REFRESH_ENDPOINT and GRANT_TYPE, all required. */
  required: readonly string[];
  /** Problems with values that are present (a key that cannot be read). */
  invalid?(config: ConfigService): Promise<InvalidConfigError[]>;
  create(config: ConfigService, endpoint: string, deps: AuthDeps): Promise<() => Promise<IssuedToken>>;
}

const clientSecretFlow: CredentialsFlow = {
  required: ['CLIENT_ID', 'CLIENT_SECRET'],
  create: (config, endpoint, deps) => {
    const hint = clientSecretHint('',
      'the endpoint refuses the client_credentials grant for this app: enable it for the app (Salesforce: the connected app\'s Client Credentials Flow, with a Run As user)');
    return rotatingGrant({
      config,
      properties: ['CLIENT_ID', 'CLIENT_SECRET'],
      secretProperty: 'CLIENT_SECRET',
      read: () => readClientCredentials(config),
      exchange: (client) => requestToken({
        endpoint,
        headers: {},
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }).toString(),
        hint,
      }, { fetch: deps.fetch, userAgent: deps.userAgent, timeoutMs: deps.timeoutMs }),
      logger: deps.logger,
    });
  },
};

const FLOWS: Readonly<Record<string, CredentialsFlow>> = {
  client_secret: clientSecretFlow,
  jwt_assertion: jwtAssertionFlow,
};

function flowOf(name: string): CredentialsFlow | undefined {
  return Object.hasOwn(FLOWS, name) ? FLOWS[name] : undefined;
}

/** CREDENTIALS_FLOW as psoxy compares it (case-insensitively), `jwt_assertion` when unset. */
async function flowName(config: ConfigService): Promise<string> {
  return ((await config.get('CREDENTIALS_FLOW')) ?? 'jwt_assertion').trim().toLowerCase();
}

export const clientCredentialsGrant: GrantDefinition = {
  required: async (config) => flowOf(await flowName(config))?.required ?? ['CLIENT_ID'],
  invalid: async (config) => {
    const name = await flowName(config);
    const flow = flowOf(name);
    if (!flow) return [new InvalidConfigError(`CREDENTIALS_FLOW ${name} is not one of ${Object.keys(FLOWS).join(', ')}`, 'CREDENTIALS_FLOW')];
    return (await flow.invalid?.(config)) ?? [];
  },
  sharedByDefault: false, // psoxy; its Salesforce connector sets USE_SHARED_TOKEN=true
  create: async (config, endpoint, deps) => FLOWS[await flowName(config)].create(config, endpoint, deps),
};
