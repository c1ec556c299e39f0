/**
 * A local, writable store for `psoxy serve`: one JSON file of name → value (written atomically),
 * and lock files created exclusively next to it, so several processes on one host can share the
 * Zoom token as cloud instances share it through SSM / Secret Manager.
 */
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { WritableConfigStore } from './store.ts';

export class FileStore implements WritableConfigStore {
  readonly description: string;
  private readonly path: string;
  constructor(path: string) {
    this.path = path;
    this.description = `file ${path}`;
  }

  private async read(): Promise<Record<string, string[]>> {
    try {
      const data = JSON.parse(await readFile(this.path, 'utf8')) as Record<string, string | string[]>;
      return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw e;
    }
  }

  async get(name: string): Promise<string | undefined> {
    return (await this.read())[name]?.[0];
  }

  async history(name: string, max: number): Promise<string[]> {
    return ((await this.read())[name] ?? []).slice(0, max);
  }

  async put(name: string, value: string): Promise<void> {
    const data = await this.read();
    data[name] = [value, ...(data[name] ?? [])].slice(0, 5);
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, JSON.stringify(data, null, 2) + '\n', { mode: 0o600 });
    await rename(tmp, this.path);
  }

  private lockPath(name: string): string {
    return join(dirname(this.path), `${name}_lock`);
  }

  async tryLock(name: string, ttlMs: number): Promise<boolean> {
    const path = this.lockPath(name);
    await mkdir(dirname(path), { recursive: true });
    try {
      const fh = await open(path, 'wx', 0o600);
      await fh.writeFile(`locked_${Date.now()}`);
      await fh.close();
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // Like psoxy: a lock older than its duration is stale; break it, the caller retries.
      const age = Date.now() - (await stat(path).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age > ttlMs) await rm(path, { force: true });
      return false;
    }
  }

  async unlock(name: string): Promise<void> {
    await rm(this.lockPath(name), { force: true });
  }
}
