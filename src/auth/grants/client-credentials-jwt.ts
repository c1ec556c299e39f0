/**
 * `GRANT_TYPE=client_credentials` with `CREDENTIALS_FLOW=jwt_assertion` (psoxy's default flow; the
 * legacy Microsoft certificate flow, RFC 7523 client authentication): the client proves itself with
 * an RS256 JWT signed by the certificate's private key, its thumbprint as `x5t`.
 */
import { randomUUID, type KeyObject } from 'node:crypto';
import { InvalidConfigError, type ConfigService } from '../../config/config-service.ts';
import type { GrantDefinition } from '../grants.ts';
import { rotatingGrant } from '../credential-rotation.ts';
import { readRsaPrivateKey, signRs256, x5tFromThumbprint } from '../jwt.ts';
import { requestToken, type IssuedToken, type TokenRequestOptions } from '../token-endpoint.ts';
import { entraHint } from './entra-hint.ts';

export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** psoxy: the assertion is valid for 5 minutes from now. */
const ASSERTION_LIFETIME_SECONDS = 300;

const SETTINGS = ['CLIENT_ID', 'PRIVATE_KEY_ID', 'PRIVATE_KEY'] as const;

interface JwtAssertionCredentials {
  endpoint: string;
  clientId: string;
  privateKeyId: string;
  privateKey: string;
  scope: string | undefined;
}

/** The jwt_assertion flow of client_credentials (a CREDENTIALS_FLOW of grants/client-credentials.ts). */
export const jwtAssertionFlow: {
  required: readonly string[];
  invalid(config: ConfigService): Promise<InvalidConfigError[]>;
  create: GrantDefinition['create'];
} = {
  required: SETTINGS,
  invalid: async (config) => keyProblems(config),
  create: (config, endpoint, deps) => rotatingGrant({
    config,
    properties: [...SETTINGS, 'TOKEN_SCOPE'],
    secretProperty: 'PRIVATE_KEY',
    secretDescription: 'the private key of a certificate uploaded to the app registration and PRIVATE_KEY_ID with its thumbprint (if both are current: the host clock)',
    read: async (): Promise<JwtAssertionCredentials> => ({
      endpoint,
      clientId: (await config.require('CLIENT_ID')).trim(),
      privateKeyId: await config.require('PRIVATE_KEY_ID'),
      privateKey: await config.require('PRIVATE_KEY'),
      scope: (await config.get('TOKEN_SCOPE'))?.trim(),
    }),
    exchange: (creds) => requestJwtAssertionToken(creds, { fetch: deps.fetch, userAgent: deps.userAgent, timeoutMs: deps.timeoutMs }),
    logger: deps.logger,
  }),
};

/** A key or thumbprint that cannot be used, reported by the health check before any exchange. */
async function keyProblems(config: ConfigService): Promise<InvalidConfigError[]> {
  const problems: InvalidConfigError[] = [];
  const check = async (setting: string, use: (value: string) => unknown) => {
    const value = await config.get(setting);
    try {
      if (value !== undefined) use(value);
    } catch (e) {
      if (!(e instanceof InvalidConfigError)) throw e;
      problems.push(e);
    }
  };
  await check('PRIVATE_KEY', (v) => readRsaPrivateKey(v, 'PRIVATE_KEY'));
  await check('PRIVATE_KEY_ID', (v) => x5tFromThumbprint(v, 'PRIVATE_KEY_ID'));
  return problems;
}

/** The client assertion: `iss` = `sub` = client id, `aud` = the token endpoint, a fresh `jti`. */
export function clientAssertion(clientId: string, audience: string, key: KeyObject, x5t: string, nowMs: number): string {
  const iat = Math.floor(nowMs / 1000);
  return signRs256({ aud: audience, iss: clientId, sub: clientId, jti: randomUUID(), iat, exp: iat + ASSERTION_LIFETIME_SECONDS }, key, { x5t });
}

async function requestJwtAssertionToken(c: JwtAssertionCredentials, options: TokenRequestOptions): Promise<IssuedToken> {
  const assertion = clientAssertion(c.clientId, c.endpoint, readRsaPrivateKey(c.privateKey, 'PRIVATE_KEY'), x5tFromThumbprint(c.privateKeyId, 'PRIVATE_KEY_ID'), (options.now ?? Date.now)());
  // psoxy sends the form sorted by name.
  const form = new URLSearchParams({ client_assertion: assertion, client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_id: c.clientId, grant_type: 'client_credentials' });
  if (c.scope) form.append('scope', c.scope);
  return requestToken({
    endpoint: c.endpoint,
    headers: {},
    body: form.toString(),
    hint: entraHint('PRIVATE_KEY (the key of a certificate uploaded to the app registration) and PRIVATE_KEY_ID (its SHA-1 thumbprint)'),
  }, options);
}
