/**
 * OAuth access tokens for the proxy, psoxy-compatible and then better (zoom-and-cloud.md §2.3–2.6):
 * - in-memory cache; refresh when within a random 60–600 s of expiry (instances do not refresh in
 *   step); a still-valid token keeps serving while the refresh runs in the background;
 * - single-flight: concurrent requests on a cold instance cause exactly one token request;
 * - optional shared token in the instance store (`ACCESS_TOKEN`, JSON `{token, expirationDate}`)
 *   guarded by the `OAUTH_REFRESH_TOKEN` lock (2 min), so instances reuse one token;
 * - after a 401, one forced refresh: a newer shared token is taken if another instance has one,
 *   else a new token is exchanged.
 */
import type { WritableConfigStore } from '../config/store.ts';
import type { IssuedToken } from './token-endpoint.ts';
import { TokenEndpointError, type AuthCall, type SourceAuth } from './source-auth.ts';
import type { Logger } from '../logging/logger.ts';

export interface StoredToken {
  token: string;
  expirationDate: number;
}

export interface SharedTokenOptions {
  store: WritableConfigStore;
  /** Full name of the shared token, e.g. `PSOXY_ZOOM_ACCESS_TOKEN`. */
  tokenName: string;
  /** Full name of the lock, e.g. `PSOXY_ZOOM_OAUTH_REFRESH_TOKEN`. */
  lockName: string;
}

export interface TokenTimings {
  /** Refresh this long before expiry: uniformly random in [min, max) ms (psoxy: 60–600 s). */
  refreshWindowMs: [number, number];
  lockTtlMs: number; // psoxy: 2 min
  /** After writing a shared token, hold the lock this long (in the background) so others see it (psoxy: 2 s). */
  settleMs: number;
  /** Base wait between lock attempts, times the attempt number (psoxy: 4 s + 0–250 ms). */
  lockRetryMs: number;
  lockAttempts: number; // psoxy: 3
}

export const PSOXY_TIMINGS: TokenTimings = {
  refreshWindowMs: [60_000, 600_000], lockTtlMs: 120_000, settleMs: 2_000, lockRetryMs: 4_000, lockAttempts: 3,
};

export interface TokenManagerOptions {
  grant: () => Promise<IssuedToken>;
  shared?: SharedTokenOptions;
  timings?: Partial<TokenTimings>;
  logger: Logger;
  now?: () => number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class OAuthTokenManager {
  private cached: StoredToken | null = null;
  private inflight: Promise<StoredToken> | null = null;
  private readonly o: TokenManagerOptions;
  private readonly t: TokenTimings;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: TokenManagerOptions) {
    this.o = options;
    this.t = { ...PSOXY_TIMINGS, ...options.timings };
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** A valid access token. */
  async token(): Promise<string> {
    const c = this.cached;
    if (c && !this.isExpired(c)) {
      if (this.inRefreshWindow(c) && !this.inflight) {
        // Proactive: keep serving the valid token; refresh failures are only logged (as psoxy does).
        this.singleFlight(null).catch((e: Error) => this.o.logger.warn('proactive token refresh failed', { reason: e.message }));
      }
      return c.token;
    }
    return (await this.singleFlight(null)).token;
  }

  /** The source rejected `rejected` (401): a different, fresh token, or an error. */
  async afterRejection(rejected: string): Promise<string> {
    const c = this.cached;
    if (c && c.token !== rejected && !this.isExpired(c)) return c.token;
    const first = await this.singleFlight(rejected);
    // A flight started before the rejection may have settled on the rejected token: go once more.
    return first.token !== rejected ? first.token : (await this.singleFlight(rejected)).token;
  }

  private singleFlight(rejected: string | null): Promise<StoredToken> {
    if (!this.inflight) {
      this.inflight = this.refresh(rejected).finally(() => { this.inflight = null; });
    }
    return this.inflight;
  }

  private isExpired(t: StoredToken): boolean {
    return this.now() >= t.expirationDate;
  }

  private inRefreshWindow(t: StoredToken): boolean {
    const [lo, hi] = this.t.refreshWindowMs;
    return this.now() > t.expirationDate - (lo + this.random() * (hi - lo));
  }

  private usable(t: StoredToken | null, rejected: string | null): t is StoredToken {
    return t !== null && t.token !== rejected && !this.isExpired(t) && !this.inRefreshWindow(t);
  }

  private async refresh(rejected: string | null): Promise<StoredToken> {
    if (this.usable(this.cached, rejected)) return this.cached;
    const shared = this.o.shared;
    if (!shared) return this.remember(await this.exchange());
    const fromStore = await this.readShared(shared);
    if (this.usable(fromStore, rejected)) return this.remember(fromStore);
    for (let attempt = 0; attempt < this.t.lockAttempts; attempt++) {
      if (await shared.store.tryLock(shared.lockName, this.t.lockTtlMs)) {
        let holdFor = 0;
        try {
          const again = await this.readShared(shared);
          if (this.usable(again, rejected)) return this.remember(again);
          const fresh = await this.exchange();
          await this.writeShared(shared, fresh);
          holdFor = this.t.settleMs;
          return this.remember(fresh);
        } finally {
          // psoxy holds the lock a little after writing so other instances see the new token;
          // the request that refreshed does not wait for that.
          const release = () => shared.store.unlock(shared.lockName).catch((e: Error) => this.o.logger.warn('could not release token lock', { reason: e.message }));
          if (holdFor > 0) void this.sleep(holdFor).then(release);
          else await release();
        }
      }
      await this.sleep((this.t.lockRetryMs + this.random() * 250) * (attempt + 1));
      const meanwhile = await this.readShared(shared);
      if (this.usable(meanwhile, rejected)) return this.remember(meanwhile);
    }
    throw new TokenEndpointError(0, `could not obtain the token lock ${shared.lockName} after ${this.t.lockAttempts} attempts: another instance may be stuck refreshing; retry later`);
  }

  private remember(t: StoredToken): StoredToken {
    this.cached = t;
    return t;
  }

  private async exchange(): Promise<StoredToken> {
    const issued = await this.o.grant();
    this.o.logger.info('obtained a new access token', { expiresAt: new Date(issued.expiresAt).toISOString() });
    return { token: issued.token, expirationDate: issued.expiresAt };
  }

  /** psoxy reads recent versions and takes the one expiring last; unreadable values are skipped. */
  private async readShared(s: SharedTokenOptions): Promise<StoredToken | null> {
    let values: string[];
    try {
      values = await s.store.history(s.tokenName, 5);
    } catch (e) {
      this.o.logger.warn('could not read the shared token', { reason: (e as Error).message });
      return null;
    }
    let best: StoredToken | null = null;
    for (const v of values) {
      try {
        const p = JSON.parse(v) as Partial<StoredToken>;
        if (typeof p.token !== 'string' || typeof p.expirationDate !== 'number') continue;
        if (!best || p.expirationDate > best.expirationDate) best = { token: p.token, expirationDate: p.expirationDate };
      } catch {
        continue;
      }
    }
    return best;
  }

  private async writeShared(s: SharedTokenOptions, t: StoredToken): Promise<void> {
    const value = JSON.stringify({ token: t.token, expirationDate: t.expirationDate });
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        await s.store.put(s.tokenName, value);
        return;
      } catch (e) {
        if (attempt === 3) this.o.logger.error('could not store the shared token; it is used locally only', { reason: (e as Error).message });
        else await this.sleep(150);
      }
    }
  }
}

/** `Authorization: Bearer` from a token manager (per call: the impersonated user's, or one for all); a 401 forces that manager's refresh. */
export function bearerFromManager(managerFor: (call: AuthCall) => OAuthTokenManager): SourceAuth {
  return {
    headers: async (call) => ({ Authorization: `Bearer ${await managerFor(call).token()}` }),
    afterUnauthorized: async (used, call) => ({ Authorization: `Bearer ${await managerFor(call).afterRejection(used.Authorization.replace(/^Bearer /, ''))}` }),
  };
}
