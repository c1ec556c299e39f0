/**
 * Config and secrets in AWS SSM Parameter Store (psoxy's default AWS store): SecureString reads
 * with decryption, the shared token written as new parameter versions, and psoxy's lock
 * (`<name>_lock` created with Overwrite=false, read back, stale after its TTL, deleted to release).
 * SSM is reached through `SsmApi` (ssm-api.ts): its JSON protocol directly where the environment
 * settles everything (Lambda), else the AWS SDK.
 */
import type { SSMClient } from '@aws-sdk/client-ssm';
import { awsErrorName, awsFailureCause } from './error-name.ts';
import { presentValue, TransientConfigError, type WritableConfigStore } from '../../config/store.ts';
import { modifiedMs, sdkSsmApi, type SsmApi, type SsmParameter } from './ssm-api.ts';
import { ssmJsonApi, ssmJsonSettings } from './ssm-json-api.ts';

/** psoxy: a name containing `/` but not starting with it gets a leading `/`. */
export function ssmName(name: string): string {
  return name.includes('/') && !name.startsWith('/') ? `/${name}` : name;
}

/**
 * How the Lambda reaches SSM: the JSON protocol when the environment settles credentials, region
 * and endpoint (as on Lambda), else the SDK's client with its default chains (loaded on first use).
 */
export function defaultSsmApi(env: Record<string, string | undefined>): SsmApi {
  const settings = ssmJsonSettings(env);
  if (settings) return ssmJsonApi({ ...settings, env });
  return sdkSsmApi(async () => (await import('./ssm-sdk.ts')).defaultSsmClient());
}

export class SsmStore implements WritableConfigStore {
  readonly description: string;
  /** Names the IAM policy refused: absent, as in psoxy (optional ones have no grant), but said in errors. */
  private readonly denied = new Set<string>();
  private readonly ssm: SsmApi;
  /** An SDK client (tests, callers with their own configuration) or an `SsmApi`. */
  constructor(ssm: SSMClient | SsmApi, options: { description?: string } = {}) {
    this.ssm = 'send' in ssm ? sdkSsmApi(ssm) : ssm;
    this.description = options.description ?? 'SSM Parameter Store';
  }

  async get(name: string): Promise<string | undefined> {
    try {
      const r = await this.ssm.call('GetParameter', { Name: ssmName(name), WithDecryption: true });
      this.denied.delete(name);
      return r.Parameter?.Value;
    } catch (e) {
      const n = awsErrorName(e);
      // Not found, or not granted (optional parameters have no grant): absent, as in psoxy.
      if (n === 'ParameterNotFound' || n === 'ParameterVersionNotFound') return undefined;
      if (n === 'AccessDeniedException') {
        this.denied.add(name);
        return undefined;
      }
      throw new TransientConfigError(`${this.description}: reading ${ssmName(name)} failed: ${awsFailureCause(e)}`);
    }
  }

  problemWith(name: string): string | undefined {
    return this.denied.has(name) ? 'denied' : undefined;
  }

  /** GetParameters, 10 names per call (SSM's limit), all calls in parallel. */
  async getMany(names: string[]): Promise<Map<string, string | undefined>> {
    const out = new Map<string, string | undefined>();
    const batches: string[][] = [];
    for (let i = 0; i < names.length; i += 10) batches.push(names.slice(i, i + 10));
    await Promise.all(batches.map(async (batch) => {
      try {
        const r = await this.ssm.call('GetParameters', { Names: batch.map(ssmName), WithDecryption: true });
        for (const p of r.Parameters ?? []) out.set(batch.find((n) => ssmName(n) === p.Name) ?? p.Name!, p.Value);
      } catch (e) {
        throw new TransientConfigError(`${this.description}: reading ${batch.map(ssmName).join(', ')} failed: ${awsFailureCause(e)}`);
      }
    }));
    for (const n of names) if (!out.has(n)) out.set(n, undefined);
    return out;
  }

  async put(name: string, value: string): Promise<void> {
    await this.ssm.call('PutParameter', { Name: ssmName(name), Value: value, Type: 'SecureString', Overwrite: true });
  }

  async history(name: string, max: number): Promise<string[]> {
    const all: SsmParameter[] = [];
    let token: string | undefined;
    do {
      let r;
      try {
        r = await this.ssm.call('GetParameterHistory', { Name: ssmName(name), WithDecryption: true, MaxResults: 50, ...(token ? { NextToken: token } : {}) });
      } catch (e) {
        if (awsErrorName(e) === 'ParameterNotFound') return [];
        throw e;
      }
      all.push(...(r.Parameters ?? []));
      token = r.NextToken;
    } while (token);
    return all
      .filter((p) => presentValue(p.Value) !== undefined)
      .sort((a, b) => (b.Version ?? 0) - (a.Version ?? 0))
      .slice(0, max)
      .map((p) => p.Value!);
  }

  async tryLock(name: string, ttlMs: number): Promise<boolean> {
    const lock = ssmName(`${name}_lock`);
    const mine = `locked_${Date.now()}_${Math.random().toString(36).slice(2)}`;
    try {
      await this.ssm.call('PutParameter', { Name: lock, Value: mine, Type: 'String', Overwrite: false });
    } catch (e) {
      if (awsErrorName(e) !== 'ParameterAlreadyExists') throw e;
      const r = await this.ssm.call('GetParameter', { Name: lock }).catch(() => null);
      const modified = modifiedMs(r?.Parameter);
      if (modified !== undefined && Date.now() - modified > ttlMs) await this.unlock(name); // stale: break it, caller retries
      return false;
    }
    // Overwrite=false creation is atomic, so this read-back is belt and braces; psoxy also pauses
    // 100–300 ms first, which only delays every cold start.
    const r = await this.ssm.call('GetParameter', { Name: lock }).catch(() => null);
    return r?.Parameter?.Value === mine;
  }

  async unlock(name: string): Promise<void> {
    try {
      await this.ssm.call('DeleteParameter', { Name: ssmName(`${name}_lock`) });
    } catch (e) {
      if (awsErrorName(e) !== 'ParameterNotFound') throw e;
    }
  }
}
