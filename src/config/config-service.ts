/**
 * psoxy's layered configuration (api-proxy.md §2.1): for a property `P`, the environment (`P`, then
 * the instance-prefixed `PSOXY_ZOOM_P`), then the instance store (`PSOXY_ZOOM_P`), then the shared
 * store (`P` under the shared prefix), then the connector's defaults. A property psoxy reads from
 * the environment only (`property-sources.ts`) skips both stores. Remote stores are cached as
 * psoxy caches them; a missing required value is reported by name with every place looked.
 */
import { presentValue, TransientConfigError, type ConfigStore, type WritableConfigStore } from './store.ts';
import { readFromStores } from './property-sources.ts';

export class MissingConfigError extends Error {
  readonly property: string;
  readonly lookedIn: string[];
  constructor(property: string, lookedIn: string[]) {
    super(`missing configuration ${property} (looked in: ${lookedIn.join('; ')})`);
    this.property = property;
    this.lookedIn = lookedIn;
  }
}

export class InvalidConfigError extends Error {
  /** The setting at fault, when one is (health checks list problems by setting). */
  readonly setting: string | undefined;
  constructor(message: string, setting?: string) {
    super(message);
    this.setting = setting;
  }
}

/**
 * `SECRETS_STORE=ENV` (our addition to psoxy's AWS_SSM_PARAMETER_STORE / AWS_SECRETS_MANAGER):
 * every setting and secret is in the environment, and no store is called at all (the token is
 * then kept per instance, not shared).
 */
export function configFromEnvOnly(env: Record<string, string | undefined>): boolean {
  return (env.SECRETS_STORE ?? '').trim().toUpperCase() === 'ENV';
}

/** The resource psoxy reads when RULES is not configured. */
export const RULES_RESOURCE = 'rules.yaml';

/** What psoxy keeps in the shared namespace (one salt and key for every connector). */
export const SHARED_PROPERTIES = ['PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY'];

/** psoxy's instance namespace for a function name: `psoxy-zoom` → `PSOXY_ZOOM_`. */
export function instancePrefixFor(name: string): string {
  return `${name.toUpperCase().replace(/-/g, '_')}_`;
}

/** The namespaces of an API proxy: `PATH_TO_INSTANCE_CONFIG` / `PATH_TO_SHARED_CONFIG` when set, else the function's and none. */
export function configPrefixes(env: Record<string, string | undefined>, functionName: string): { instancePrefix: string; sharedPrefix: string } {
  return { instancePrefix: env.PATH_TO_INSTANCE_CONFIG ?? instancePrefixFor(functionName), sharedPrefix: env.PATH_TO_SHARED_CONFIG ?? '' };
}

export interface ConfigServiceOptions {
  env: Record<string, string | undefined>;
  /** Prefix of instance-scoped names, e.g. `PSOXY_ZOOM_`. */
  instancePrefix: string;
  /** Prefix of shared names (psoxy default: none, so the salt is `PSOXY_SALT`). */
  sharedPrefix?: string;
  instanceStore?: WritableConfigStore | ConfigStore;
  sharedStore?: ConfigStore;
  /** Lowest-priority values (a built-in connector's settings). */
  defaults?: Record<string, string>;
  /**
   * The properties looked up in the shared namespace (default: the salt and key, which psoxy's
   * Terraform creates there and grants read on, name by name; reading anything else there would
   * be denied).
   */
  sharedProperties?: readonly string[];
  /**
   * Where named resources (`rules.yaml`) are read when the configuration has no value for them, in
   * order: psoxy's local directory, then the instance's path in REMOTE_RESOURCE_BUCKET.
   */
  resourceStores?: ConfigStore[];
  /** Cache lifetimes (psoxy: instance 5 min, shared 20 min). */
  instanceTtlMs?: number;
  sharedTtlMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const sleepMs = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Read-through cache with negative caching, 3 attempts on transient errors, stale-on-error. */
class CachedStore {
  private readonly store: ConfigStore;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly cache = new Map<string, { value: string | undefined; at: number }>();
  constructor(store: ConfigStore, ttlMs: number, now: () => number, sleep: (ms: number) => Promise<void>) {
    this.store = store;
    this.ttlMs = ttlMs;
    this.now = now;
    this.sleep = sleep;
  }

  /** Loads several names at once into the cache (one batch call when the store has getMany). */
  async prefetch(names: string[]): Promise<void> {
    await CachedStore.prefetchTogether(this.store, [{ cached: this, names }]);
  }

  /**
   * One batch read of one store for several caches of it (the instance and shared namespaces are
   * usually the same store: their names then go in the same GetParameters calls).
   */
  static async prefetchTogether(store: ConfigStore, parts: { cached: CachedStore; names: string[] }[]): Promise<void> {
    const stale = parts.map(({ cached, names }) => ({ cached, names: names.filter((n) => cached.isStale(n)) }));
    const all = [...new Set(stale.flatMap((p) => p.names))];
    if (all.length === 0 || !store.getMany) return;
    try {
      const values = await store.getMany(all);
      for (const { cached, names } of stale) {
        for (const n of names) cached.cache.set(n, { value: presentValue(values.get(n)), at: cached.now() });
      }
    } catch {
      // Fall back to reading one by one (with retries) on first use.
    }
  }

  private isStale(name: string): boolean {
    const hit = this.cache.get(name);
    return !hit || this.now() - hit.at >= this.ttlMs;
  }

  /** Drops a cached value: the next `get` reads the store. */
  forget(name: string): void {
    this.cache.delete(name);
  }

  async get(name: string): Promise<string | undefined> {
    const hit = this.cache.get(name);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    for (let attempt = 1; ; attempt++) {
      try {
        const value = presentValue(await this.store.get(name));
        this.cache.set(name, { value, at: this.now() });
        return value;
      } catch (e) {
        if (!(e instanceof TransientConfigError)) throw e;
        if (attempt >= 3) {
          if (hit) return hit.value; // keep the previous value rather than failing
          throw e;
        }
        await this.sleep(500);
      }
    }
  }
}

export class ConfigService {
  readonly instancePrefix: string;
  readonly sharedPrefix: string;
  private readonly env: Record<string, string | undefined>;
  private readonly instance?: CachedStore;
  private readonly shared?: CachedStore;
  private readonly instanceStore?: ConfigStore;
  private readonly sharedStore?: ConfigStore;
  private readonly defaults: Record<string, string>;
  private readonly sharedProperties: ReadonlySet<string>;
  private readonly resourceStores: { store: ConfigStore; cached: CachedStore }[];
  private readonly lastRefresh = new Map<string, number>();
  private readonly now: () => number;

  constructor(o: ConfigServiceOptions) {
    this.sharedProperties = new Set(o.sharedProperties ?? SHARED_PROPERTIES);
    this.env = o.env;
    this.instancePrefix = o.instancePrefix;
    this.sharedPrefix = o.sharedPrefix ?? '';
    this.defaults = o.defaults ?? {};
    const now = o.now ?? Date.now;
    this.now = now;
    const sleep = o.sleep ?? sleepMs;
    this.instanceStore = o.instanceStore;
    this.sharedStore = o.sharedStore;
    if (o.instanceStore) this.instance = new CachedStore(o.instanceStore, o.instanceTtlMs ?? 5 * 60_000, now, sleep);
    if (o.sharedStore) this.shared = new CachedStore(o.sharedStore, o.sharedTtlMs ?? 20 * 60_000, now, sleep);
    this.resourceStores = (o.resourceStores ?? []).map((store) => ({ store, cached: new CachedStore(store, o.instanceTtlMs ?? 5 * 60_000, now, sleep) }));
  }

  private envValue(name: string): string | undefined {
    return presentValue(this.env[name]);
  }

  /**
   * A variable the platform sets in the process environment (`K_SERVICE`, `GCE_METADATA_HOST`),
   * never looked up in the stores.
   */
  processEnv(name: string): string | undefined {
    return this.envValue(name);
  }

  /**
   * Reads many properties from the remote stores in as few calls as they allow (cold starts);
   * environment-only properties are not asked for.
   */
  async prefetch(properties: string[]): Promise<void> {
    const remote = properties.filter((p) => readFromStores(p) && this.envValue(p) === undefined && this.envValue(this.instancePrefix + p) === undefined);
    const instanceNames = remote.map((p) => this.instancePrefix + p);
    const sharedNames = remote.filter((p) => this.sharedProperties.has(p)).map((p) => this.sharedPrefix + p);
    if (this.instance && this.shared && this.instanceStore === this.sharedStore) {
      await CachedStore.prefetchTogether(this.instanceStore!, [{ cached: this.instance, names: instanceNames }, { cached: this.shared, names: sharedNames }]);
      return;
    }
    await Promise.all([this.instance?.prefetch(instanceNames), this.shared?.prefetch(sharedNames)]);
  }

  async get(property: string): Promise<string | undefined> {
    return (await this.locate(property)).value;
  }

  /** The value and where it was found (`env PSOXY_ZOOM_CLIENT_SECRET`, `SSM Parameter Store: …`). */
  async locate(property: string): Promise<{ value: string | undefined; from: string | null }> {
    for (const name of [property, this.instancePrefix + property]) {
      const fromEnv = this.envValue(name);
      if (fromEnv !== undefined) return { value: fromEnv, from: `env ${name}` };
    }
    if (!readFromStores(property)) return this.fromDefaults(property);
    const fromInstance = await this.instance?.get(this.instancePrefix + property);
    if (fromInstance !== undefined) return { value: fromInstance, from: `${this.instanceStore!.description}: ${this.instancePrefix}${property}` };
    const fromShared = this.sharedProperties.has(property) ? await this.shared?.get(this.sharedPrefix + property) : undefined;
    if (fromShared !== undefined) return { value: fromShared, from: `${this.sharedStore!.description}: ${this.sharedPrefix}${property}` };
    return this.fromDefaults(property);
  }

  private fromDefaults(property: string): { value: string | undefined; from: string | null } {
    const dflt = Object.hasOwn(this.defaults, property) ? this.defaults[property] : undefined;
    return { value: dflt, from: dflt === undefined ? null : 'built-in connector defaults' };
  }

  /** The first place holding a named resource (`rules.yaml`), and which place that was. */
  async resource(name: string): Promise<{ value: string; from: string } | undefined> {
    for (const { store, cached } of this.resourceStores) {
      const value = await cached.get(name);
      if (value !== undefined) return { value, from: `${store.description}: ${name}` };
    }
    return undefined;
  }

  /** Every place a named resource is looked for, for error messages. */
  resourcePlaces(name: string): string[] {
    return this.resourceStores.map(({ store }) => {
      const problem = store.problemWith?.(name);
      return `${store.description}: ${name}${problem ? ` (${problem})` : ''}`;
    });
  }

  /** `refresh`, at most once per `intervalMs` for a given purpose (so traffic does not become store reads). */
  refreshAtMostEvery(purpose: string, intervalMs: number, properties: string[]): void {
    const last = this.lastRefresh.get(purpose) ?? Number.NEGATIVE_INFINITY;
    if (this.now() - last < intervalMs) return;
    this.lastRefresh.set(purpose, this.now());
    this.refresh(properties);
  }

  /**
   * Forgets cached values so the next read goes to the stores (a secret rotated by an admin:
   * psoxy would keep the old one for up to 20 minutes). Resources count as RULES.
   */
  refresh(properties: string[]): void {
    if (properties.includes('RULES')) for (const { cached } of this.resourceStores) cached.forget(RULES_RESOURCE);
    for (const p of properties) {
      this.instance?.forget(this.instancePrefix + p);
      if (this.sharedProperties.has(p)) this.shared?.forget(this.sharedPrefix + p);
    }
  }

  async require(property: string): Promise<string> {
    const v = await this.get(property);
    if (v === undefined) throw new MissingConfigError(property, this.lookedIn(property));
    return v;
  }

  /**
   * A setting read through `parse`; whatever `parse` throws becomes a configuration error that
   * also says where the setting was looked for.
   */
  async parsed<T>(property: string, parse: (value: string | undefined) => T): Promise<T> {
    const raw = await this.get(property);
    try {
      return parse(raw);
    } catch (e) {
      throw new InvalidConfigError(`${(e as Error).message} (looked in: ${this.lookedIn(property).join('; ')})`, property);
    }
  }

  async bool(property: string, dflt: boolean): Promise<boolean> {
    const v = await this.get(property);
    return v === undefined ? dflt : v.trim().toLowerCase() === 'true';
  }

  /** Every place a property is looked up, in order, for error messages. */
  lookedIn(property: string): string[] {
    const places = [`env ${property}`, `env ${this.instancePrefix}${property}`];
    for (const { place, problem } of this.storePlaces(property)) places.push(problem ? `${place} (${problem})` : place);
    return places;
  }

  /** The store places where the last read of a property was refused (e.g. `denied`), for health checks. */
  refusedPlaces(property: string): string[] {
    return this.storePlaces(property).filter((p) => p.problem).map(({ place, problem }) => `${place} (${problem})`);
  }

  /** The store names a property is read from (none for an environment-only property). */
  private storePlaces(property: string): { place: string; problem: string | undefined }[] {
    const at = (store: ConfigStore, name: string) => ({ place: `${store.description}: ${name}`, problem: store.problemWith?.(name) });
    if (!readFromStores(property)) return [];
    const places = [];
    if (this.instanceStore) places.push(at(this.instanceStore, this.instancePrefix + property));
    if (this.sharedStore && this.sharedProperties.has(property)) places.push(at(this.sharedStore, this.sharedPrefix + property));
    return places;
  }

  /** The instance store when it is writable (it holds the shared token and its lock). */
  writableInstanceStore(): WritableConfigStore | undefined {
    const s = this.instanceStore as WritableConfigStore | undefined;
    return s && typeof s.put === 'function' ? s : undefined;
  }
}
