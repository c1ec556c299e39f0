/**
 * Secrets in AWS Secrets Manager (`SECRETS_STORE=AWS_SECRETS_MANAGER`): reads with GetSecretValue,
 * the shared token written with PutSecretValue, history from the AWSCURRENT / AWSPREVIOUS versions.
 * The token lock stays in SSM, as in psoxy.
 */
import {
  GetSecretValueCommand, ListSecretVersionIdsCommand, PutSecretValueCommand, SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { TransientConfigError, type WritableConfigStore } from '../../config/store.ts';
import { awsErrorName, awsFailureCause } from './error-name.ts';

/** A client with the Lambda's credentials (built here so that the SDK is tree-shaken: see `defaultSsmClient`). */
export function defaultSecretsManagerClient(): SecretsManagerClient {
  return new SecretsManagerClient({});
}

export class SecretsManagerStore implements WritableConfigStore {
  readonly description = 'Secrets Manager';
  private readonly denied = new Set<string>();
  private readonly sm: SecretsManagerClient;
  private readonly locks: Pick<WritableConfigStore, 'tryLock' | 'unlock'>;

  constructor(sm: SecretsManagerClient, locks: Pick<WritableConfigStore, 'tryLock' | 'unlock'>) {
    this.sm = sm;
    this.locks = locks;
  }

  async get(name: string): Promise<string | undefined> {
    try {
      const value = (await this.sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString;
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
    await this.sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: value }));
  }

  async history(name: string, max: number): Promise<string[]> {
    let r;
    try {
      r = await this.sm.send(new ListSecretVersionIdsCommand({ SecretId: name }));
    } catch (e) {
      if (awsErrorName(e) === 'ResourceNotFoundException') return [];
      throw e;
    }
    const versions = (r.Versions ?? [])
      .filter((v) => v.VersionStages?.some((s) => s === 'AWSCURRENT' || s === 'AWSPREVIOUS'))
      .sort((a, b) => (b.CreatedDate?.getTime() ?? 0) - (a.CreatedDate?.getTime() ?? 0))
      .slice(0, max);
    const values: string[] = [];
    for (const v of versions) {
      const s = await this.sm.send(new GetSecretValueCommand({ SecretId: name, VersionId: v.VersionId }));
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
