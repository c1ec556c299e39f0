/**
 * Secrets in AWS Secrets Manager (`SECRETS_STORE=AWS_SECRETS_MANAGER`): reads with GetSecretValue,
 * the shared token written with PutSecretValue, history from the AWSCURRENT / AWSPREVIOUS versions.
 * The token lock stays in SSM, as in psoxy. Reached as SSM is (ssm-api.ts): the JSON protocol
 * directly where the environment settles everything (Lambda), else the AWS SDK.
 */
import { randomUUID } from 'node:crypto';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { TransientConfigError, type WritableConfigStore } from '../../config/store.ts';
import { awsErrorName, awsFailureCause } from './error-name.ts';
import { awsJsonApi, SECRETS_MANAGER, ssmJsonSettings } from './ssm-json-api.ts';

type Operation = 'GetSecretValue' | 'PutSecretValue' | 'ListSecretVersionIds';
interface Answer { SecretString?: string; Versions?: { VersionId?: string; VersionStages?: string[]; CreatedDate?: Date | number }[] }
export interface SecretsManagerApi {
  call(operation: Operation, input: Record<string, unknown>): Promise<Answer>;
}

/** The SDK client behind the interface; its commands load on the first call. */
export function sdkSecretsManagerApi(client: SecretsManagerClient | (() => Promise<SecretsManagerClient>)): SecretsManagerApi {
  let loaded: Promise<{ client: SecretsManagerClient; commands: typeof import('./secrets-manager-sdk.ts').SECRETS_MANAGER_COMMANDS }> | null = null;
  return {
    async call(operation, input) {
      loaded ??= import('./secrets-manager-sdk.ts').then(async (m) => ({ client: typeof client === 'function' ? await client() : client, commands: m.SECRETS_MANAGER_COMMANDS }));
      const { client: c, commands } = await loaded;
      const Command = commands[operation] as unknown as new (input: Record<string, unknown>) => Parameters<SecretsManagerClient['send']>[0];
      return await c.send(new Command(input)) as Answer;
    },
  };
}

/** The JSON protocol when the environment settles credentials, region and endpoint (Lambda), else the SDK. */
export function defaultSecretsManagerApi(env: Record<string, string | undefined>): SecretsManagerApi {
  const settings = ssmJsonSettings(env, SECRETS_MANAGER);
  if (settings) return awsJsonApi({ ...settings, env }) as SecretsManagerApi;
  return sdkSecretsManagerApi(async () => (await import('./secrets-manager-sdk.ts')).defaultSecretsManagerClient());
}

const createdMs = (d: Date | number | undefined) => (d === undefined ? 0 : typeof d === 'number' ? d * 1000 : d.getTime());

export class SecretsManagerStore implements WritableConfigStore {
  readonly description = 'Secrets Manager';
  private readonly denied = new Set<string>();
  private readonly sm: SecretsManagerApi;
  private readonly locks: Pick<WritableConfigStore, 'tryLock' | 'unlock'>;

  /** An SDK client (tests, callers with their own configuration) or a `SecretsManagerApi`. */
  constructor(sm: SecretsManagerClient | SecretsManagerApi, locks: Pick<WritableConfigStore, 'tryLock' | 'unlock'>) {
    this.sm = 'send' in sm ? sdkSecretsManagerApi(sm) : sm;
    this.locks = locks;
  }

  async get(name: string): Promise<string | undefined> {
    try {
      const value = (await this.sm.call('GetSecretValue', { SecretId: name })).SecretString;
      this.denied.delete(name);
      return value;
    } catch (e) {
      const n = awsErrorName(e);
      if (n === 'ResourceNotFoundException') return undefined;
      if (n === 'AccessDeniedException') {
        this.denied.add(name);
        return undefined;
      }
      throw new TransientConfigError(`${this.description}: reading ${name} failed: ${awsFailureCause(e)}`);
    }
  }

  problemWith(name: string): string | undefined {
    return this.denied.has(name) ? 'denied' : undefined;
  }

  async put(name: string, value: string): Promise<void> {
    // The version's id and idempotency token, which the SDK would otherwise make (its retries resend it).
    await this.sm.call('PutSecretValue', { SecretId: name, SecretString: value, ClientRequestToken: randomUUID() });
  }

  async history(name: string, max: number): Promise<string[]> {
    let r;
    try {
      r = await this.sm.call('ListSecretVersionIds', { SecretId: name });
    } catch (e) {
      if (awsErrorName(e) === 'ResourceNotFoundException') return [];
      throw e;
    }
    const versions = (r.Versions ?? [])
      .filter((v) => v.VersionStages?.some((s) => s === 'AWSCURRENT' || s === 'AWSPREVIOUS'))
      .sort((a, b) => createdMs(b.CreatedDate) - createdMs(a.CreatedDate))
      .slice(0, max);
    const values: string[] = [];
    for (const v of versions) {
      const s = await this.sm.call('GetSecretValue', { SecretId: name, VersionId: v.VersionId });
      if (s.SecretString !== undefined) values.push(s.SecretString);
    }
    return values;
  }

  tryLock(name: string, ttlMs: number): Promise<boolean> {
    return this.locks.tryLock(name, ttlMs);
  }

  unlock(name: string): Promise<void> {
    return this.locks.unlock(name);
  }
}
