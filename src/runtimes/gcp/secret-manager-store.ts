/**
 * Config and secrets in GCP Secret Manager with psoxy's conventions (zoom-and-cloud.md §2.4–2.5).
 * A value is the secret's `latest` version, read with `versions.access` alone: the Secret Accessor
 * role psoxy's Terraform grants on the admin-filled secrets has no `secrets.get`, so psoxy's
 * metadata read first (for its `latest-version` label) is denied there. The shared token, which
 * is read through `history` (every enabled version, newest first), is written as a new version,
 * labelled as latest for psoxy instances, older versions destroyed; the token lock is a `locked`
 * label on the `..._OAUTH_REFRESH_TOKEN` secret, updated with its etag so concurrent takers fail.
 */
import { TransientConfigError, type WritableConfigStore } from '../../config/store.ts';
import type { SecretManagerRest } from './secret-manager-rest.ts';

const code = (e: unknown) => (e as { code?: number }).code;
// HTTP statuses of the REST API.
const TRANSIENT = new Set([429, 503, 504]);
const CONFLICT = new Set([409, 412]); // aborted / failed precondition: the etag moved
const DENIED = new Set([403]);
/** Reads at once in `getMany`: Secret Manager's latency is per call, so a cold start's ~30 secrets go in one round. */
const PARALLEL_READS = 32;

/** A failure's cause in words, for messages that name parameter, store and cause. */
function causeOf(e: unknown): string {
  const c = code(e);
  return c === 429 ? `throttled (code ${c})` : c === 504 ? `timed out (code ${c})` : `unavailable (code ${c ?? 'none'})`;
}

interface Secret { name: string; etag?: string; labels?: Record<string, string> }
interface SecretVersion { name: string }

export class SecretManagerStore implements WritableConfigStore {
  readonly description: string;
  private readonly api: SecretManagerRest;
  private readonly project: string;
  /** Names whose last read was refused by IAM. */
  private readonly denied = new Set<string>();

  constructor(api: SecretManagerRest, project: string) {
    this.api = api;
    this.project = project;
    this.description = `Secret Manager (project ${project})`;
  }

  private secret(name: string): string {
    return `projects/${this.project}/secrets/${name}`;
  }

  /** Every enabled version, page by page. */
  private async enabledVersions(name: string): Promise<SecretVersion[]> {
    const versions: SecretVersion[] = [];
    let pageToken = '';
    do {
      const page = await this.api.call<{ versions?: SecretVersion[]; nextPageToken?: string }>('GET', `${this.secret(name)}/versions?filter=state%3AENABLED${pageToken && `&pageToken=${encodeURIComponent(pageToken)}`}`);
      versions.push(...(page.versions ?? []));
      pageToken = page.nextPageToken ?? '';
    } while (pageToken);
    return versions;
  }

  private getSecret(name: string): Promise<Secret> {
    return this.api.call<Secret>('GET', this.secret(name));
  }

  /** Replaces a secret's labels, conditional on the etag it was read with. */
  private async relabel(s: Secret, labels: Record<string, string>): Promise<void> {
    await this.api.call('PATCH', `${s.name}?updateMask=labels`, { name: s.name, labels, etag: s.etag });
  }

  private async access(version: string): Promise<string> {
    const r = await this.api.call<{ payload?: { data?: string } }>('GET', `${version}:access`);
    return Buffer.from(r.payload?.data ?? '', 'base64').toString('utf8');
  }

  async get(name: string): Promise<string | undefined> {
    try {
      const value = await this.access(`${this.secret(name)}/versions/latest`);
      this.denied.delete(name);
      return value;
    } catch (e) {
      if (TRANSIENT.has(code(e) ?? -1)) throw new TransientConfigError(`${this.description}: reading ${name} failed: ${causeOf(e)}`);
      // Not found, no access, no enabled version: absent, as in psoxy; a refusal is remembered for errors.
      if (DENIED.has(code(e) ?? -1)) this.denied.add(name);
      return undefined;
    }
  }

  /** Secret Manager has no batch read: the versions are read in parallel, a few at a time. */
  async getMany(names: string[]): Promise<Map<string, string | undefined>> {
    const values = new Map<string, string | undefined>();
    let next = 0;
    const reader = async () => {
      while (next < names.length) {
        const name = names[next++];
        values.set(name, await this.get(name));
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, names.length) }, reader));
    return values;
  }

  problemWith(name: string): string | undefined {
    return this.denied.has(name) ? 'denied' : undefined;
  }

  async put(name: string, value: string): Promise<void> {
    const v = await this.api.call<SecretVersion>('POST', `${this.secret(name)}:addVersion`, { payload: { data: Buffer.from(value, 'utf8').toString('base64') } });
    const number = v.name.split('/').pop();
    // Independent once the version exists: on a cold start these are the token flow's round trips.
    const [s, versions] = await Promise.all([this.getSecret(name), this.enabledVersions(name)]);
    await Promise.all([
      this.relabel(s, { ...s.labels, 'latest-version': String(number) }),
      ...versions.filter((old) => old.name !== v.name).map((old) => this.api.call('POST', `${old.name}:destroy`, {}).catch(() => undefined)),
    ]);
  }

  async history(name: string, max: number): Promise<string[]> {
    const sorted = (await this.enabledVersions(name))
      .sort((a, b) => Number(b.name.split('/').pop()) - Number(a.name.split('/').pop()))
      .slice(0, max);
    return Promise.all(sorted.map((v) => this.access(v.name)));
  }

  async tryLock(name: string, ttlMs: number): Promise<boolean> {
    const s = await this.getSecret(name); // a missing lock secret is a deployment error
    const locked = Number(s.labels?.locked ?? NaN);
    if (!Number.isNaN(locked) && Date.now() - locked < ttlMs) return false;
    try {
      await this.relabel(s, { ...s.labels, locked: String(Date.now()) });
      return true;
    } catch (e) {
      if (CONFLICT.has(code(e) ?? -1)) return false; // etag changed: someone else won
      throw e;
    }
  }

  async unlock(name: string): Promise<void> {
    const s = await this.getSecret(name);
    const labels = { ...s.labels };
    delete labels.locked;
    await this.relabel(s, labels);
  }
}
