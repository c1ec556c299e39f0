/**
 * psoxy's `SECRETS_STORE=AWS_SECRETS_MANAGER` layout: secret values (client secrets, tokens, the
 * salt and keys) in Secrets Manager, everything else (`CLIENT_ID`, `ACCOUNT_ID`, settings, the
 * `OAUTH_REFRESH_TOKEN` lock) in SSM Parameter Store, both under the same names.
 */
import type { WritableConfigStore } from '../../config/store.ts';

/** Properties psoxy's Terraform keeps in Secrets Manager when it is selected (matched as name suffixes). */
export const SECRET_PROPERTIES = [
  'CLIENT_SECRET', 'ACCESS_TOKEN', 'REFRESH_TOKEN', 'PRIVATE_KEY', 'SERVICE_ACCOUNT_KEY', 'API_KEY', 'BASIC_AUTH_PASSWORD',
  'PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY', 'SALT_IP', 'ENCRYPTION_KEY_IP', 'SALT_EMAIL_DOMAINS', 'ENCRYPTION_KEY_EMAIL_DOMAINS',
];

export function isSecretName(name: string): boolean {
  // Path-style namespaces (`/psoxy/zoom/`): the property is what follows the last `/`.
  const last = name.slice(name.lastIndexOf('/') + 1);
  // OAUTH_REFRESH_TOKEN names psoxy's lock, an SSM parameter; it is not the REFRESH_TOKEN secret.
  return !last.endsWith('OAUTH_REFRESH_TOKEN') && SECRET_PROPERTIES.some((p) => last === p || last.endsWith(`_${p}`));
}

export class SplitStore implements WritableConfigStore {
  readonly description: string;
  private readonly secrets: WritableConfigStore;
  private readonly parameters: WritableConfigStore;
  constructor(secrets: WritableConfigStore, parameters: WritableConfigStore) {
    this.secrets = secrets;
    this.parameters = parameters;
    this.description = `${secrets.description} (secrets) / ${parameters.description} (other settings)`;
  }

  private storeFor(name: string): WritableConfigStore {
    return isSecretName(name) ? this.secrets : this.parameters;
  }

  get(name: string): Promise<string | undefined> {
    return this.storeFor(name).get(name);
  }

  problemWith(name: string): string | undefined {
    return this.storeFor(name).problemWith?.(name);
  }

  async getMany(names: string[]): Promise<Map<string, string | undefined>> {
    const out = new Map<string, string | undefined>();
    const [secret, other] = [names.filter(isSecretName), names.filter((n) => !isSecretName(n))];
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
