/**
 * Config and secrets in AWS SSM Parameter Store (psoxy's default AWS store): SecureString reads
 * with decryption, the shared token written as new parameter versions, and psoxy's lock
 * (`<name>_lock` created with Overwrite=false, read back, stale after its TTL, deleted to release).
 */
import {
  DeleteParameterCommand, GetParameterCommand, GetParameterHistoryCommand, GetParametersCommand, PutParameterCommand,
  SSMClient, type ParameterHistory,
} from '@aws-sdk/client-ssm';
import { awsErrorName, awsFailureCause } from './error-name.ts';
import { presentValue, TransientConfigError, type WritableConfigStore } from '../../config/store.ts';

/** psoxy: a name containing `/` but not starting with it gets a leading `/`. */
export function ssmName(name: string): string {
  return name.includes('/') && !name.startsWith('/') ? `/${name}` : name;
}

/**
 * A client with the Lambda's credentials. Exported here, not imported from the SDK by the caller:
 * a dynamic `import('@aws-sdk/client-ssm')` would keep every command, error and schema of the SDK
 * in the bundle (~165 KiB parsed on the cold path), where this static import lets esbuild drop
 * what the store does not use.
 */
export function defaultSsmClient(): SSMClient {
  return new SSMClient({});
}

export class SsmStore implements WritableConfigStore {
  readonly description: string;
  /** Names the IAM policy refused: absent, as in psoxy (optional ones have no grant), but said in errors. */
  private readonly denied = new Set<string>();
  private readonly ssm: SSMClient;
  constructor(ssm: SSMClient, options: { description?: string } = {}) {
    this.ssm = ssm;
    this.description = options.description ?? 'SSM Parameter Store';
  }

  async get(name: string): Promise<string | undefined> {
    try {
      const r = await this.ssm.send(new GetParameterCommand({ Name: ssmName(name), WithDecryption: true }));
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
        const r = await this.ssm.send(new GetParametersCommand({ Names: batch.map(ssmName), WithDecryption: true }));
        for (const p of r.Parameters ?? []) out.set(batch.find((n) => ssmName(n) === p.Name) ?? p.Name!, p.Value);
      } catch (e) {
        throw new TransientConfigError(`${this.description}: reading ${batch.map(ssmName).join(', ')} failed: ${awsFailureCause(e)}`);
      }
    }));
    for (const n of names) if (!out.has(n)) out.set(n, undefined);
    return out;
  }

  async put(name: string, value: string): Promise<void> {
    await this.ssm.send(new PutParameterCommand({ Name: ssmName(name), Value: value, Type: 'SecureString', Overwrite: true }));
  }

  async history(name: string, max: number): Promise<string[]> {
    const all: ParameterHistory[] = [];
    let token: string | undefined;
    do {
      let r;
      try {
        r = await this.ssm.send(new GetParameterHistoryCommand({ Name: ssmName(name), WithDecryption: true, MaxResults: 50, NextToken: token }));
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
      await this.ssm.send(new PutParameterCommand({ Name: lock, Value: mine, Type: 'String', Overwrite: false }));
    } catch (e) {
      if (awsErrorName(e) !== 'ParameterAlreadyExists') throw e;
      const r = await this.ssm.send(new GetParameterCommand({ Name: lock })).catch(() => null);
      const modified = r?.Parameter?.LastModifiedDate?.getTime();
      if (modified !== undefined && Date.now() - modified > ttlMs) await this.unlock(name); // stale: break it, caller retries
      return false;
    }
    // Overwrite=false creation is atomic, so this read-back is belt and braces; psoxy also pauses
    // 100–300 ms first, which only delays every cold start.
    const r = await this.ssm.send(new GetParameterCommand({ Name: lock })).catch(() => null);
    return r?.Parameter?.Value === mine;
  }

  async unlock(name: string): Promise<void> {
    try {
      await this.ssm.send(new DeleteParameterCommand({ Name: ssmName(`${name}_lock`) }));
    } catch (e) {
      if (awsErrorName(e) !== 'ParameterNotFound') throw e;
    }
  }
}
