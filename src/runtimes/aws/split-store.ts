/**
 * psoxy's `SECRETS_STORE=AWS_SECRETS_MANAGER` layout: each connector's values flagged sensitive
 * (client secrets, API keys, tokens; for some connectors the client id too) and the shared salt and
 * keys in Secrets Manager, everything else (Zoom's ids, settings, the `OAUTH_REFRESH_TOKEN` lock) in
 * SSM Parameter Store, both under the same names. Which names are sensitive is the connector's
 * (`Connector.sensitive`, read by the Terraform modules too); a SOURCE outside the catalogue
 * (custom rules) falls back to a list of credential names.
 */
import type { WritableConfigStore } from '../../config/store.ts';
import { connectorById } from '../../sources/catalogue/registry.ts';
import { ZOOM_SENSITIVE } from '../../sources/zoom/connector.ts';

/** The shared salt and keys: in Secrets Manager whatever the connector. */
export const SHARED_SECRET_PROPERTIES = ['PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY', 'SALT_IP', 'ENCRYPTION_KEY_IP', 'SALT_EMAIL_DOMAINS', 'ENCRYPTION_KEY_EMAIL_DOMAINS'] as const;

/**
 * For a SOURCE outside the catalogue only: credential properties kept in Secrets Manager (matched
 * as name suffixes), the shared ones included.
 */
export const SECRET_PROPERTIES = [
  'CLIENT_SECRET', 'ACCESS_TOKEN', 'REFRESH_TOKEN', 'PRIVATE_KEY', 'SERVICE_ACCOUNT_KEY', 'API_KEY', 'BASIC_AUTH_PASSWORD',
  'BASIC_AUTH_USER_ID', 'SERVICE_KEY', 'API_TOKEN',
  ...SHARED_SECRET_PROPERTIES,
];

/** The fallback rule (a SOURCE outside the catalogue): whether a name ends with a credential property. */
export function isSecretName(name: string): boolean {
  // Path-style namespaces (`/psoxy/zoom/`): the property is what follows the last `/`.
  const last = name.slice(name.lastIndexOf('/') + 1);
  // OAUTH_REFRESH_TOKEN names psoxy's lock, an SSM parameter; it is not the REFRESH_TOKEN secret.
  return !last.endsWith('OAUTH_REFRESH_TOKEN') && SECRET_PROPERTIES.some((p) => last === p || last.endsWith(`_${p}`));
}

/**
 * The sensitive properties of a SOURCE (our id, an alias, or either with a rules variant suffix
 * such as `_no-app-ids`): Zoom's, a catalogue connector's; undefined outside the catalogue.
 */
export function sensitiveProperties(source: string): readonly string[] | undefined {
  const id = source.replace(/_no-[\w-]+$/, '');
  if (id === 'zoom') return ZOOM_SENSITIVE;
  return (connectorById(source) ?? connectorById(id))?.sensitive;
}

/**
 * Which store a full name belongs in, for one function: its own property (the name less the
 * instance prefix, else the shared prefix, else what follows the last `/`) in the SOURCE's
 * sensitive set or the shared secrets goes to Secrets Manager; a SOURCE outside the catalogue uses
 * `isSecretName`.
 */
export function secretNameRule(o: { source?: string; instancePrefix: string; sharedPrefix: string }): (name: string) => boolean {
  const sensitive = o.source === undefined ? undefined : sensitiveProperties(o.source);
  if (sensitive === undefined) return isSecretName;
  const secret = new Set<string>([...sensitive, ...SHARED_SECRET_PROPERTIES]);
  const property = (name: string) => {
    if (o.instancePrefix && name.startsWith(o.instancePrefix)) return name.slice(o.instancePrefix.length);
    if (o.sharedPrefix && name.startsWith(o.sharedPrefix)) return name.slice(o.sharedPrefix.length);
    return name.slice(name.lastIndexOf('/') + 1);
  };
  return (name) => secret.has(property(name));
}

export class SplitStore implements WritableConfigStore {
  readonly description: string;
  private readonly secrets: WritableConfigStore;
  private readonly parameters: WritableConfigStore;
  private readonly isSecret: (name: string) => boolean;
  /** `isSecret`: which full names are in `secrets` (default: the fallback rule, `isSecretName`). */
  constructor(secrets: WritableConfigStore, parameters: WritableConfigStore, isSecret: (name: string) => boolean = isSecretName) {
    this.secrets = secrets;
    this.parameters = parameters;
    this.isSecret = isSecret;
    this.description = `${secrets.description} (secrets) / ${parameters.description} (other settings)`;
  }

  private storeFor(name: string): WritableConfigStore {
    return this.isSecret(name) ? this.secrets : this.parameters;
  }

  get(name: string): Promise<string | undefined> {
    return this.storeFor(name).get(name);
  }

  problemWith(name: string): string | undefined {
    return this.storeFor(name).problemWith?.(name);
  }

  async getMany(names: string[]): Promise<Map<string, string | undefined>> {
    const out = new Map<string, string | undefined>();
    const [secret, other] = [names.filter(this.isSecret), names.filter((n) => !this.isSecret(n))];
    for (const [store, group] of [[this.secrets, secret], [this.parameters, other]] as const) {
      if (group.length === 0) continue;
      const values = store.getMany ? await store.getMany(group) : new Map(await Promise.all(group.map(async (n) => [n, await store.get(n)] as const)));
      for (const [k, v] of values) out.set(k, v);
    }
    return out;
  }

  put(name: string, value: string): Promise<void> {
    return this.storeFor(name).put(name, value);
  }

  history(name: string, max: number): Promise<string[]> {
    return this.storeFor(name).history(name, max);
  }

  tryLock(name: string, ttlMs: number): Promise<boolean> {
    return this.parameters.tryLock(name, ttlMs);
  }

  unlock(name: string): Promise<void> {
    return this.parameters.unlock(name);
  }
}
