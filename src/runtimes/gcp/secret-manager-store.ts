/**
 * Config and secrets in GCP Secret Manager with psoxy's conventions (zoom-and-cloud.md §2.4–2.5).
 * A value is the secret's `latest` version, read with `versions.access` alone: the Secret Accessor
 * role psoxy's Terraform grants on the admin-filled secrets has no `secrets.get`, so psoxy's
 * metadata read first (for its `latest-version` label) is denied there. The shared token, which
 * is read through `history` (every enabled version, newest first), is written as a new version,
 * labelled as latest for psoxy instances, older versions destroyed; the token lock is a `locked`
 * label on the `..._OAUTH_REFRESH_TOKEN` secret, updated with its etag so concurrent takers fail.
 */
import type { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { TransientConfigError, type WritableConfigStore } from '../../config/store.ts';

const code = (e: unknown) => (e as { code?: number }).code;
// gRPC codes, or HTTP statuses on the REST transport.
const TRANSIENT = new Set([4, 8, 14, 429, 503, 504]); // deadline, exhausted, unavailable
const CONFLICT = new Set([9, 10, 409, 412]); // failed precondition / aborted: the etag moved
const DENIED = new Set([7, 403]); // permission denied

/** A failure's cause in words, for messages that name parameter, store and cause. */
function causeOf(e: unknown): string {
  const c = code(e);
  return c === 8 || c === 429 ? `throttled (code ${c})` : c === 4 || c === 504 ? `timed out (code ${c})` : `unavailable (code ${c ?? 'none'})`;
}

export class SecretManagerStore implements WritableConfigStore {
  readonly description: string;
  private readonly client: SecretManagerServiceClient;
  private readonly project: string;
  /** Names whose last read was refused by IAM. */
  private readonly denied = new Set<string>();

  constructor(client: SecretManagerServiceClient, project: string) {
    this.client = client;
    this.project = project;
    this.description = `Secret Manager (project ${project})`;
  }

  private secret(name: string): string {
    return `projects/${this.project}/secrets/${name}`;
  }

  /** Every enabled version: the client pages through them all (a pageSize would only draw gax's warning that it still does). */
  private async enabledVersions(name: string) {
    const [versions] = await this.client.listSecretVersions({ parent: this.secret(name), filter: 'state:ENABLED' });
    return versions;
  }

  /** Replaces a secret's labels, conditional on the etag it was read with. */
  private async relabel(s: { name?: string | null; etag?: string | null }, labels: Record<string, string>): Promise<void> {
    await this.client.updateSecret({ secret: { name: s.name, labels, etag: s.etag }, updateMask: { paths: ['labels'] } });
  }

  private async access(version: string): Promise<string> {
    const [r] = await this.client.accessSecretVersion({ name: version });
    const data = r.payload?.data;
    return typeof data === 'string' ? Buffer.from(data, 'base64').toString('utf8') : Buffer.from(data ?? []).toString('utf8');
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

  problemWith(name: string): string | undefined {
    return this.denied.has(name) ? 'denied' : undefined;
  }

  async put(name: string, value: string): Promise<void> {
    const [v] = await this.client.addSecretVersion({ parent: this.secret(name), payload: { data: Buffer.from(value, 'utf8') } });
    const number = v.name?.split('/').pop();
    const [s] = await this.client.getSecret({ name: this.secret(name) });
    await this.relabel(s, { ...s.labels, 'latest-version': String(number) });
    for (const old of await this.enabledVersions(name)) {
      if (old.name && old.name !== v.name) await this.client.destroySecretVersion({ name: old.name }).catch(() => undefined);
    }
  }

  async history(name: string, max: number): Promise<string[]> {
    const sorted = (await this.enabledVersions(name))
      .filter((v) => v.name)
      .sort((a, b) => Number(b.name!.split('/').pop()) - Number(a.name!.split('/').pop()))
      .slice(0, max);
    const values: string[] = [];
    for (const v of sorted) values.push(await this.access(v.name!));
    return values;
  }

  async tryLock(name: string, ttlMs: number): Promise<boolean> {
    const [s] = await this.client.getSecret({ name: this.secret(name) }); // a missing lock secret is a deployment error
    const locked = Number(s.labels?.locked ?? NaN);
    if (!Number.isNaN(locked) && Date.now() - locked < ttlMs) return false;
    try {
      await this.relabel(s, { ...s.labels, locked: String(Date.now()) });
      return true;
    } catch (e) {
      if (CONFLICT.has(code(e) ?? -1)) return false; // ABORTED / FAILED_PRECONDITION: etag changed, someone else won
      throw e;
    }
  }

  async unlock(name: string): Promise<void> {
    const [s] = await this.client.getSecret({ name: this.secret(name) });
    const labels = { ...s.labels };
    delete labels.locked;
    await this.relabel(s, labels);
  }
}
