/**
 * The refresh token of a grant whose endpoint may rotate it (Atlassian, Gong, GitHub: each use
 * answers with a new one and the one sent stops working; reusing it later can revoke them all).
 * A rotated token is then the deployment's only way in, so:
 * - every exchange reads `REFRESH_TOKEN` from the store afresh (another instance may have rotated
 *   it); under the shared token's lock (USE_SHARED_TOKEN) exchanges are one at a time;
 * - the new token is written back to the instance store before the exchange returns, i.e. before
 *   the lock is released, and always (psoxy skips the write when the stored value is under an
 *   hour old, which loses a token rotated within the hour);
 * - should that write fail, the token is kept in memory, used instead of the spent one the store
 *   still holds, logged as an error and written again in the background until it lands.
 */
import type { ConfigService } from '../../config/config-service.ts';
import type { Logger } from '../../logging/logger.ts';
import type { IssuedToken } from '../token-endpoint.ts';
import { TokenEndpointError } from '../source-auth.ts';

/** How endpoints say a refresh token is expired, revoked or already used (GitHub: `bad_refresh_token`). */
const REFUSED_REFRESH_TOKEN = new Set(['invalid_grant', 'bad_refresh_token']);

export function isRefusedRefreshToken(e: unknown): e is TokenEndpointError {
  return e instanceof TokenEndpointError && e.oauthError !== undefined && REFUSED_REFRESH_TOKEN.has(e.oauthError);
}

export interface RefreshTokenKeeperOptions {
  config: ConfigService;
  logger: Logger;
  /** Exchanges run under the OAUTH_REFRESH_TOKEN lock (USE_SHARED_TOKEN with a writable store). */
  locked: boolean;
  /** Between background attempts to store a rotated token the store refused (default 30 s). */
  retryWriteEveryMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** Tokens remembered as spent: enough to recognise the store's stale value, never growing. */
const MAX_SPENT = 20;

/** How long a refused refresh token is refused without asking (an admin's new one is read after it). */
const REFUSAL_REPEAT_MS = 2_000;

export class RefreshTokenKeeper {
  private readonly o: RefreshTokenKeeperOptions;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly spent: string[] = [];
  /** The token this instance believes live (the store's, or a rotated one not yet stored). */
  private current: string | null = null;
  private unsaved: string | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private warnedUnlocked = false;
  private refused: { at: number; error: TokenEndpointError } | null = null;
  private readonly now: () => number;

  constructor(o: RefreshTokenKeeperOptions) {
    this.o = o;
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.now = o.now ?? Date.now;
  }

  private get storeName(): string {
    return `${this.o.config.instancePrefix}REFRESH_TOKEN`;
  }

  /** One exchange with the live refresh token; a rotated one is stored before this returns. */
  async exchange(send: (refreshToken: string) => Promise<IssuedToken>): Promise<IssuedToken> {
    // A refused token is refused again for a moment rather than sent (and the store read) per request.
    if (this.refused && this.now() - this.refused.at < REFUSAL_REPEAT_MS) throw this.refused.error;
    let used = await this.liveToken();
    let issued: IssuedToken;
    try {
      issued = await send(used);
    } catch (e) {
      // Without the lock another instance may have rotated it since we read it: once more with the store's.
      if (!isRefusedRefreshToken(e)) throw e;
      const again = await this.liveToken();
      if (again === used) {
        this.refused = { at: this.now(), error: e };
        throw e;
      }
      used = again;
      issued = await send(used);
    }
    this.refused = null;
    if (issued.refreshToken !== undefined && issued.refreshToken !== used) await this.rotated(used, issued.refreshToken);
    return issued;
  }

  private async liveToken(): Promise<string> {
    this.o.config.refresh(['REFRESH_TOKEN']);
    const stored = (await this.o.config.require('REFRESH_TOKEN')).trim();
    if (this.current !== null && this.spent.includes(stored)) {
      // The store still holds a token the endpoint has rotated: ours is the live one.
      if (this.unsaved !== null) await this.save(this.unsaved, 1);
      return this.current;
    }
    // A value we have not spent: another instance's rotation, or an admin's new authorization.
    this.current = stored;
    this.unsaved = null;
    return stored;
  }

  private async rotated(spent: string, next: string): Promise<void> {
    this.spent.push(spent);
    if (this.spent.length > MAX_SPENT) this.spent.shift();
    this.current = next;
    this.unsaved = next;
    if (!this.o.locked && !this.warnedUnlocked) {
      this.warnedUnlocked = true;
      this.o.logger.warn('the token endpoint rotates refresh tokens: set USE_SHARED_TOKEN=true so instances exchange one at a time under the OAUTH_REFRESH_TOKEN lock; otherwise two instances refreshing at once can spend each other\'s token');
    }
    if (!(await this.save(next, 3))) this.retryInBackground(next);
  }

  /** Writes `token` as REFRESH_TOKEN; false (logged) when the store refused every attempt. */
  private async save(token: string, attempts: number): Promise<boolean> {
    const store = this.o.config.writableInstanceStore();
    if (!store) {
      this.o.logger.error(`the token endpoint rotated the refresh token and there is no writable store to keep it in: it lives in this instance's memory only; when the instance stops, authorize the app again and set ${this.storeName}`);
      this.unsaved = null;
      return true;
    }
    let reason = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        await store.put(this.storeName, token);
        if (this.unsaved === token) this.unsaved = null;
        this.o.logger.info('stored the rotated refresh token', { name: this.storeName });
        await this.warnIfShadowed(store.description);
        return true;
      } catch (e) {
        reason = (e as Error).message;
        if (attempt < attempts) await this.sleep(150 * attempt);
      }
    }
    this.o.logger.error(`the token endpoint rotated the refresh token and writing it to ${store.description}: ${this.storeName} failed: it is kept in this instance's memory and written again every ${this.retryEvery / 1000} s; until then other instances and restarts hold only the spent one`, { reason });
    return false;
  }

  private get retryEvery(): number {
    return this.o.retryWriteEveryMs ?? 30_000;
  }

  private retryInBackground(token: string): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.unsaved !== token) return; // stored meanwhile, or superseded
      void this.save(token, 1).then((ok) => { if (!ok) this.retryInBackground(token); });
    }, this.retryEvery);
    this.retryTimer.unref();
  }

  /** A value in the environment wins over the store: the stored rotation would never be read. */
  private async warnIfShadowed(storeDescription: string): Promise<void> {
    const { from } = await this.o.config.locate('REFRESH_TOKEN');
    if (from?.startsWith('env ')) {
      this.o.logger.error(`REFRESH_TOKEN is read from ${from}, which overrides the rotated token just written to ${storeDescription}: ${this.storeName}; remove it from the environment, or other instances and restarts will send a spent token`);
    }
  }
}
