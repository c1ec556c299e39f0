// Fakes of the SSM and Secrets Manager APIs (AWS JSON 1.1 protocol: POST / with X-Amz-Target)
// on 127.0.0.1, enough for the real AWS SDK v3 clients; with injectable throttling.
import { randomUUID } from 'node:crypto';
import type { RunningServer } from '../../src/runtimes/node/server.ts';
import { listenWithBody } from './http.ts';
import { verifySigV4 } from './sigv4-verifier.ts';

interface Version { value: string; version: number; type: string; modified: Date; id: string; stages: string[] }

export class FakeAwsJson {
  readonly params = new Map<string, Version[]>();
  readonly secrets = new Map<string, Version[]>();
  readonly calls: string[] = [];
  /** Every name a call named (`GetParameters` counts each of its names), as `Action name`: what a cold start reads. */
  readonly named: string[] = [];
  private failures: { target: RegExp; type: string; status: number; times: number }[] = [];
  /** IAM as a policy grants it: action → name patterns (`PSOXY_ZOOM_*` or exact); absent = unrestricted. */
  private policy: Map<string, string[]> | null = null;
  /** Calls the policy refused (`action name`): a deployment that works makes none. */
  readonly denied: string[] = [];
  private server: RunningServer | null = null;
  /** When set, every request must carry a valid SigV4 signature by one of these keys (id → secret). */
  private signingKeys: Record<string, string> | null = null;
  /** The credential scopes (`service/region`) of the verified requests. */
  readonly signedBy: string[] = [];

  /** From now on, requests must be signed (SigV4) with one of these access keys, as AWS checks them. */
  requireSignatures(keys: Record<string, string>): void {
    this.signingKeys = keys;
  }

  /**
   * From now on, only what the statements allow (e.g. `{ 'ssm:GetParameters': ['PSOXY_ZOOM_*', 'PSOXY_SALT'] }`);
   * a call naming anything else fails with AccessDeniedException, as IAM answers.
   */
  enforce(statements: Record<string, string[]>): void {
    this.policy = new Map(Object.entries(statements));
  }

  private allowed(action: string, name: string): boolean {
    if (this.policy === null) return true;
    return (this.policy.get(action) ?? []).some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : name === p));
  }

  /** The next `times` calls whose target matches fail with `type` (e.g. ThrottlingException). */
  fail(target: RegExp, type: string, times: number, status = 400): void {
    this.failures.push({ target, type, status, times });
  }

  putParam(name: string, value: string, type = 'SecureString'): void {
    const list = this.params.get(name) ?? [];
    list.push({ value, version: list.length + 1, type, modified: new Date(), id: randomUUID(), stages: [] });
    this.params.set(name, list);
  }

  param(name: string): string | undefined {
    return this.params.get(name)?.at(-1)?.value;
  }

  async start(): Promise<string> {
    this.server = await listenWithBody((req, res, body) => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const input = JSON.parse(body.toString() || '{}') as Record<string, unknown>;
      this.calls.push(target);
      const send = (status: number, body: unknown, type?: string) => {
        res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', ...(type ? { 'x-amzn-ErrorType': type } : {}) });
        res.end(JSON.stringify(body));
      };
      const error = (type: string, message: string, status = 400) => send(status, { __type: type, message }, type);
      if (this.signingKeys) {
        const v = verifySigV4(req, body, this.signingKeys);
        if (!v.ok) return error(v.reason === 'unknown access key' ? 'UnrecognizedClientException' : 'InvalidSignatureException', v.reason, v.reason === 'unknown access key' ? 400 : 403);
        this.signedBy.push(v.reason);
      }
      const f = this.failures.find((x) => x.times > 0 && x.target.test(target));
      if (f) { f.times--; return error(f.type, 'injected failure', f.status); }
      const name = String(input.Name ?? input.SecretId ?? '');
      const action = target.replace(/^AmazonSSM\./, 'ssm:').replace(/^secretsmanager\./, 'secretsmanager:');
      const named = (input.Names as string[] | undefined) ?? [name];
      this.named.push(...named.map((n) => `${target.replace(/^.*\./, '')} ${n}`));
      const refused = named.filter((n) => !this.allowed(action, n));
      if (refused.length) {
        this.denied.push(...refused.map((n) => `${action} ${n}`));
        return error('AccessDeniedException', `User is not authorized to perform: ${action} on resource: ${refused[0]}`);
      }
      const epoch = (d: Date) => d.getTime() / 1000;
      switch (target) {
        case 'AmazonSSM.GetParameter': {
          const v = this.params.get(name)?.at(-1);
          if (!v) return error('ParameterNotFound', `Parameter ${name} not found.`);
          return send(200, { Parameter: { Name: name, Value: v.value, Type: v.type, Version: v.version, LastModifiedDate: epoch(v.modified) } });
        }
        case 'AmazonSSM.GetParameters': {
          const names = (input.Names as string[]) ?? [];
          const found = names.filter((n) => this.params.has(n));
          return send(200, {
            Parameters: found.map((n) => { const v = this.params.get(n)!.at(-1)!; return { Name: n, Value: v.value, Type: v.type, Version: v.version }; }),
            InvalidParameters: names.filter((n) => !this.params.has(n)),
          });
        }
        case 'AmazonSSM.PutParameter': {
          if (this.params.has(name) && input.Overwrite !== true) return error('ParameterAlreadyExists', 'The parameter already exists.');
          this.putParam(name, String(input.Value), String(input.Type ?? 'String'));
          return send(200, { Version: this.params.get(name)!.length, Tier: 'Standard' });
        }
        case 'AmazonSSM.DeleteParameter': {
          if (!this.params.delete(name)) return error('ParameterNotFound', `Parameter ${name} not found.`);
          return send(200, {});
        }
        case 'AmazonSSM.GetParameterHistory': {
          const list = this.params.get(name);
          if (!list) return error('ParameterNotFound', `Parameter ${name} not found.`);
          return send(200, { Parameters: list.map((v) => ({ Name: name, Value: v.value, Version: v.version, Type: v.type, LastModifiedDate: epoch(v.modified) })) });
        }
        case 'secretsmanager.GetSecretValue': {
          const list = this.secrets.get(name);
          const v = input.VersionId ? list?.find((x) => x.id === input.VersionId) : list?.at(-1);
          if (!v) return error('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
          return send(200, { ARN: `arn:aws:secretsmanager:us-east-1:1:secret:${name}`, Name: name, SecretString: v.value, VersionId: v.id, VersionStages: v.stages, CreatedDate: epoch(v.modified) });
        }
        case 'secretsmanager.PutSecretValue': {
          const list = this.secrets.get(name) ?? [];
          for (const v of list) v.stages = v.stages.includes('AWSCURRENT') ? ['AWSPREVIOUS'] : [];
          const v: Version = { value: String(input.SecretString), version: list.length + 1, type: 'secret', modified: new Date(Date.now() + list.length), id: randomUUID(), stages: ['AWSCURRENT'] };
          list.push(v);
          this.secrets.set(name, list);
          return send(200, { ARN: `arn:aws:secretsmanager:us-east-1:1:secret:${name}`, Name: name, VersionId: v.id, VersionStages: v.stages });
        }
        case 'secretsmanager.ListSecretVersionIds': {
          const list = this.secrets.get(name);
          if (!list) return error('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
          return send(200, { Name: name, Versions: list.map((v) => ({ VersionId: v.id, VersionStages: v.stages, CreatedDate: epoch(v.modified) })) });
        }
        default:
          return error('UnknownOperationException', `unsupported ${target}`);
      }
    });
    return this.server.url;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }
}
