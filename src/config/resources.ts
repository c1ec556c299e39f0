/**
 * psoxy's resource service: named files (`rules.yaml`) read when the configuration holds no value
 * for them, from a local directory first, then from a bucket (`REMOTE_RESOURCE_BUCKET`) under the
 * instance's resource path. Each place is a ConfigStore keyed by the resource's name.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidConfigError } from './config-service.ts';
import type { ConfigStore } from './store.ts';
import { collectAtMost } from '../http/read-bounded.ts';

/** Rules files are tens of KB; a resource over this is refused rather than held. */
export const MAX_RESOURCE_BYTES = 4 * 1024 * 1024;

/** psoxy's fast path for containers and VMs: resources mounted here win over the bucket. */
export const LOCAL_RESOURCE_DIR = '/var/psoxy/resources';

/**
 * Where the instance's resources live in the bucket: `INSTANCE_RESOURCE_PATH`, else the instance
 * config prefix with its trailing `_` read as `/` (psoxy: `PSOXY_ZOOM_` → `PSOXY_ZOOM/`). No leading
 * `/`; a trailing `/` unless empty (the bucket's root).
 */
export function instanceResourcePath(env: Record<string, string | undefined>, instancePrefix: string): string {
  const configured = env.INSTANCE_RESOURCE_PATH?.trim();
  const path = (configured || instancePrefix.replace(/_$/, '/')).replace(/^\/+/, '');
  return path === '' || path.endsWith('/') ? path : `${path}/`;
}

export function resourceTooLarge(where: string): InvalidConfigError {
  return new InvalidConfigError(`${where} is over ${MAX_RESOURCE_BYTES} bytes: not read`);
}

/** psoxy's places, in order: the local directory, then the instance path in REMOTE_RESOURCE_BUCKET when set. */
export function resourceStores(o: {
  env: Record<string, string | undefined>;
  instancePrefix: string;
  localDir?: string;
  bucketStore: (bucket: string, path: string) => ConfigStore;
}): ConfigStore[] {
  const bucket = o.env.REMOTE_RESOURCE_BUCKET?.trim();
  const local = new LocalResourceStore(o.localDir);
  return bucket ? [local, o.bucketStore(bucket, instanceResourcePath(o.env, o.instancePrefix))] : [local];
}

/** A resource's text, refused as soon as its bytes pass MAX_RESOURCE_BYTES. */
export async function readResourceBytes(chunks: AsyncIterable<Uint8Array>, where: string): Promise<string> {
  return (await collectAtMost(chunks, MAX_RESOURCE_BYTES, () => resourceTooLarge(where))).toString('utf8');
}

/** Resources in a local directory; a missing file (or directory) is simply absent. */
export class LocalResourceStore implements ConfigStore {
  readonly description: string;
  private readonly dir: string;
  constructor(dir: string = LOCAL_RESOURCE_DIR) {
    this.dir = dir;
    this.description = `local resources ${dir}`;
  }

  async get(name: string): Promise<string | undefined> {
    const file = join(this.dir, name);
    try {
      if ((await stat(file)).size > MAX_RESOURCE_BYTES) throw resourceTooLarge(file);
      return await readFile(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw e;
    }
  }
}
