/**
 * Where configuration and secrets live. A store maps full names (e.g. `PSOXY_ZOOM_CLIENT_ID`) to
 * values; writable stores also hold the shared OAuth token and its lock. Cloud stores (SSM,
 * Secrets Manager, Secret Manager) implement the same interfaces in `runtimes/`.
 */

export interface ConfigStore {
  /** Where values are looked up, for error messages (e.g. "environment", "file .psoxy-local/config.json"). */
  readonly description: string;
  /** The value, or undefined when absent. Throws TransientConfigError when the backend failed. */
  get(name: string): Promise<string | undefined>;
  /** Several values in few round trips (optional; stores without it are read one by one). */
  getMany?(names: string[]): Promise<Map<string, string | undefined>>;
  /** Why the last read of a name came back absent when it was not simply missing (e.g. `denied`). */
  problemWith?(name: string): string | undefined;
}

export interface WritableConfigStore extends ConfigStore {
  put(name: string, value: string): Promise<void>;
  /** Recent values, newest first (stores without history return the current value only). */
  history(name: string, max: number): Promise<string[]>;
  /** Tries to take a lock for `ttlMs`; a lock older than that is stale and is broken. */
  tryLock(name: string, ttlMs: number): Promise<boolean>;
  unlock(name: string): Promise<void>;
}

/** The backend did not answer (throttled, unreachable): the caller may retry; maps to 503. */
export class TransientConfigError extends Error {}

/** Terraform's placeholder for secrets the administrator has yet to fill: treated as absent. */
const PLACEHOLDER = 'fill me';

/** The value as configuration sees it: blank or Terraform's placeholder counts as absent. */
export function presentValue(raw: string | undefined): string | undefined {
  return raw === undefined || raw.trim() === '' || raw === PLACEHOLDER ? undefined : raw;
}

/** In-memory writable store; several proxies may share one instance (tests, single host). */
export class MemoryStore implements WritableConfigStore {
  readonly description: string;
  private readonly values = new Map<string, string[]>();
  private readonly locks = new Map<string, number>();
  private readonly now: () => number;
  constructor(initial: Record<string, string> = {}, options: { description?: string; now?: () => number } = {}) {
    for (const [k, v] of Object.entries(initial)) this.values.set(k, [v]);
    this.description = options.description ?? 'memory';
    this.now = options.now ?? Date.now;
  }
  async get(name: string): Promise<string | undefined> {
    return this.values.get(name)?.[0];
  }
  async put(name: string, value: string): Promise<void> {
    this.values.set(name, [value, ...(this.values.get(name) ?? [])].slice(0, 10));
  }
  async history(name: string, max: number): Promise<string[]> {
    return (this.values.get(name) ?? []).slice(0, max);
  }
  async tryLock(name: string, ttlMs: number): Promise<boolean> {
    const at = this.locks.get(name);
    if (at !== undefined && this.now() - at < ttlMs) return false;
    this.locks.set(name, this.now());
    return true;
  }
  async unlock(name: string): Promise<void> {
    this.locks.delete(name);
  }
}
