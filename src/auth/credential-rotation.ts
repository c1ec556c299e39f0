/**
 * Client credentials an admin may rotate (Zoom: "Anytime the Client Secret is regenerated it needs
 * to be updated in the Proxy too"). Updating the store must be all it takes: when the token
 * endpoint refuses the credentials, they are re-read once from the stores, bypassing the cache,
 * and the exchange retried with them. If the store still holds refused values, the error names
 * the setting to update and where it was read.
 */
import type { ConfigService } from '../config/config-service.ts';
import type { Logger } from '../logging/logger.ts';
import type { IssuedToken } from './token-endpoint.ts';
import { TokenEndpointError } from './source-auth.ts';

export interface RotatingGrantOptions<C> {
  config: ConfigService;
  /** The properties that make up the credentials (re-read together). */
  properties: string[];
  /** The property an admin regenerates (named in the error). */
  secretProperty: string;
  /** What to put in it, for the error (default: the app's current Client Secret). */
  secretDescription?: string;
  read(): Promise<C>;
  exchange(credentials: C): Promise<IssuedToken>;
  logger: Logger;
  /** Re-reads at most this often while the endpoint keeps refusing (the stores are not hammered). */
  minRereadIntervalMs?: number;
  now?: () => number;
}

/** A grant function for the token manager, reading the credentials once and again after a refusal. */
export async function rotatingGrant<C>(o: RotatingGrantOptions<C>): Promise<() => Promise<IssuedToken>> {
  let credentials = await o.read();
  let lastReread = Number.NEGATIVE_INFINITY;
  // While the credentials are refused, the refusal is repeated for a moment rather than the
  // token endpoint (and the stores) being asked again by every request.
  let refused: { at: number; error: TokenEndpointError } | null = null;
  const now = o.now ?? Date.now;
  const interval = o.minRereadIntervalMs ?? 2_000;
  const exchange = async () => {
    const token = await o.exchange(credentials);
    refused = null;
    return token;
  };
  const isRefusal = (e: unknown): e is TokenEndpointError => e instanceof TokenEndpointError && e.clientRejected;
  return async () => {
    if (refused && now() - refused.at < interval) throw refused.error;
    try {
      return await exchange();
    } catch (e) {
      if (!isRefusal(e)) throw e;
      let reread = false;
      if (now() - lastReread >= interval) {
        lastReread = now();
        reread = true;
        o.config.refresh(o.properties);
        const fresh = await o.read();
        if (JSON.stringify(fresh) !== JSON.stringify(credentials)) {
          credentials = fresh;
          o.logger.info('the token endpoint refused the cached client credentials; retrying with the values now in the store');
          try {
            return await exchange();
          } catch (retry) {
            if (!isRefusal(retry)) throw retry;
          }
        }
      }
      refused = { at: now(), error: await staleSecretError(o, e, reread) };
      throw refused.error;
    }
  };
}

async function staleSecretError<C>(o: RotatingGrantOptions<C>, e: TokenEndpointError, reread: boolean): Promise<TokenEndpointError> {
  // A 401 without an OAuth error (a proxy in between, say) is not evidence of a stale secret.
  if (e.oauthError === undefined) return e;
  const { from } = await o.config.locate(o.secretProperty);
  const where = from ?? 'nowhere';
  const redeploy = where.startsWith('env ') ? ' (an environment variable changes only with a redeploy)' : '';
  return new TokenEndpointError(e.status,
    `token endpoint refuses the client credentials (HTTP ${e.status}, ${e.oauthError})${reread ? ', also as just re-read' : ''}: ` +
    `update ${o.config.instancePrefix}${o.secretProperty} with ${o.secretDescription ?? "the app's current Client Secret"} (read from ${where}${redeploy})`, e.oauthError);
}
