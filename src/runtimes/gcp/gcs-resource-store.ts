/**
 * psoxy's remote resources on GCP: `gs://REMOTE_RESOURCE_BUCKET/<instance path><name>`, read with
 * the function's service account (psoxy grants Object Viewer on the instance path). A missing
 * object is absent; a refused one is absent and reported. The client is loaded on first use.
 */
import type { Storage } from '@google-cloud/storage';
import { InvalidConfigError } from '../../config/config-service.ts';
import { TransientConfigError, type ConfigStore } from '../../config/store.ts';
import { readResourceBytes } from '../../config/resources.ts';

export class GcsResourceStore implements ConfigStore {
  readonly description: string;
  private readonly storage: () => Promise<Storage>;
  private readonly bucket: string;
  private readonly path: string;
  private readonly refused = new Set<string>();
  constructor(storage: () => Promise<Storage>, bucket: string, path: string) {
    this.storage = storage;
    this.bucket = bucket;
    this.path = path;
    this.description = `GCS gs://${bucket}/${path}`;
  }

  async get(name: string): Promise<string | undefined> {
    const where = `gs://${this.bucket}/${this.path}${name}`;
    const file = (await this.storage()).bucket(this.bucket).file(this.path + name);
    try {
      const text = await readResourceBytes(file.createReadStream({ validation: false }), where);
      this.refused.delete(name);
      return text;
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code === 404) {
        this.refused.delete(name);
        return undefined;
      }
      if (code === 403) {
        this.refused.add(name);
        return undefined;
      }
      if (e instanceof InvalidConfigError) throw e;
      throw new TransientConfigError(`GCS: reading ${where} failed: ${gcsFailureCause(e)}`);
    }
  }

  problemWith(name: string): string | undefined {
    return this.refused.has(name) ? 'denied' : undefined;
  }
}

/** Why a GCS read failed, without the request: throttled, unreachable (network code), or the HTTP status. */
function gcsFailureCause(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  if (code === 429) return 'throttled (HTTP 429)';
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return `unreachable (${code})`;
  return typeof code === 'number' ? `failed (HTTP ${code})` : `failed (${(e as Error).name})`;
}
