/**
 * A store built on first use: cloud stores load their SDK (about half the Lambda cold start) through
 * a dynamic `import()` here, so a configuration that never reads the store never loads the SDK, and
 * one that does loads it while its first request waits on the store anyway.
 */
import type { WritableConfigStore } from './store.ts';

export class LazyStore implements WritableConfigStore {
  /** Known before the store is built: errors name the store even when building it failed. */
  readonly description: string;
  private readonly build: () => Promise<WritableConfigStore>;
  private built: Promise<WritableConfigStore> | null = null;
  /** Set once built: `problemWith` is synchronous and a store never read has no problems to tell. */
  private store: WritableConfigStore | null = null;

  constructor(description: string, build: () => Promise<WritableConfigStore>) {
    this.description = description;
    this.build = build;
  }

  private async loaded(): Promise<WritableConfigStore> {
    this.built ??= this.build().then((s) => (this.store = s));
    return this.built;
  }

  async get(name: string): Promise<string | undefined> {
    return (await this.loaded()).get(name);
  }

  async getMany(names: string[]): Promise<Map<string, string | undefined>> {
    const store = await this.loaded();
    if (store.getMany) return store.getMany(names);
    return new Map(await Promise.all(names.map(async (n) => [n, await store.get(n)] as const)));
  }

  problemWith(name: string): string | undefined {
    return this.store?.problemWith?.(name);
  }

  async put(name: string, value: string): Promise<void> {
    return (await this.loaded()).put(name, value);
  }

  async history(name: string, max: number): Promise<string[]> {
    return (await this.loaded()).history(name, max);
  }

  async tryLock(name: string, ttlMs: number): Promise<boolean> {
    return (await this.loaded()).tryLock(name, ttlMs);
  }

  async unlock(name: string): Promise<void> {
    return (await this.loaded()).unlock(name);
  }
}
