/**
 * AWS's JSON 1.1 protocol (`POST /`, `X-Amz-Target: <prefix>.<Operation>`) signed with AWS
 * Signature Version 4, over node:https, for SSM (`AmazonSSM.…`) and Secrets Manager
 * (`secretsmanager.…`): what a Lambda's cold start needs from them without loading
 * the AWS SDK (measured on the cold path: the SDK's import, client and first call ~75 ms of main-thread
 * CPU, ~55 ms with a compile cache; this module's ~15–20 ms, most of it node:http's first connections).
 *
 * Used only where the environment alone settles what the SDK would resolve (`ssmJsonSettings`):
 * static credentials in env (as Lambda provides them), a region, the standard endpoint or
 * `AWS_ENDPOINT_URL_SSM` / `AWS_ENDPOINT_URL`, no profile, config file, FIPS or dual-stack
 * endpoint. Anything else goes to the SDK (`sdkSsmApi`). Retries follow the SDK's standard mode:
 * 3 attempts, exponential back-off with jitter, on throttling, 5xx and network failures.
 */
import { createHash, createHmac } from 'node:crypto';
import { httpExchange, HttpTimeoutError } from '../http-exchange.ts';
import type { SsmApi } from './ssm-api.ts';

/** A service spoken over the JSON protocol: its signing name, target prefix and endpoint variable. */
export interface AwsJsonService {
  signingName: string;
  targetPrefix: string;
  /** The SDK's service-specific endpoint variable (`AWS_ENDPOINT_URL_<SERVICE ID>`). */
  endpointEnv: string;
}

export const SSM: AwsJsonService = { signingName: 'ssm', targetPrefix: 'AmazonSSM', endpointEnv: 'AWS_ENDPOINT_URL_SSM' };
export const SECRETS_MANAGER: AwsJsonService = { signingName: 'secretsmanager', targetPrefix: 'secretsmanager', endpointEnv: 'AWS_ENDPOINT_URL_SECRETS_MANAGER' };

export interface SsmJsonSettings {
  endpoint: URL;
  region: string;
  /** Default: SSM. */
  service?: AwsJsonService;
}

/** A JSON-protocol API: one call per operation, the answer's JSON or an error named as the SDK names it. */
export interface AwsJsonApi {
  call(operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>>;
}

const PARTITION_REGION = /^(us|eu|ap|sa|ca|me|af|il|mx)(-gov)?-[a-z]+-\d+$/;

/**
 * The settings when the environment settles them all, else null (the SDK then resolves them:
 * profiles, config files, container or instance credentials, FIPS / dual-stack endpoints, other
 * partitions).
 */
export function ssmJsonSettings(env: Record<string, string | undefined>, service: AwsJsonService = SSM): SsmJsonSettings | null {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY || env.AWS_PROFILE || env.AWS_CONFIG_FILE || env.AWS_SHARED_CREDENTIALS_FILE) return null;
  if (!region || !PARTITION_REGION.test(region)) return null;
  if ([env.AWS_USE_FIPS_ENDPOINT, env.AWS_USE_DUALSTACK_ENDPOINT].some((v) => (v ?? '').toLowerCase() === 'true')) return null;
  const configured = (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '').toLowerCase() === 'true' ? undefined : env[service.endpointEnv] ?? env.AWS_ENDPOINT_URL;
  let endpoint: URL;
  try {
    endpoint = new URL(configured ?? `https://${service.signingName}.${region}.amazonaws.com`);
  } catch {
    return null; // the SDK reports a malformed endpoint in its own words
  }
  if (endpoint.protocol !== 'https:' && endpoint.protocol !== 'http:') return null;
  return { endpoint, region, service };
}

/** An SSM failure, named as the SDK names it (`ParameterNotFound`, `ThrottlingException`…). */
export class SsmServiceError extends Error {
  readonly $metadata: { httpStatusCode: number };
  constructor(name: string, status: number, message: string) {
    super(message);
    this.name = name;
    this.$metadata = { httpStatusCode: status };
  }
}

const sha256Hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** SigV4 headers for a POST of `body` to `endpoint` (path `/`, no query). */
export function signSsmRequest(o: {
  endpoint: URL; region: string; target: string; body: string; now: Date; signingName?: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}): Record<string, string> {
  const amzDate = o.now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = {
    'content-type': 'application/x-amz-json-1.1',
    host: o.endpoint.host,
    'x-amz-date': amzDate,
    'x-amz-target': o.target,
  };
  if (o.credentials.sessionToken) headers['x-amz-security-token'] = o.credentials.sessionToken;
  const names = Object.keys(headers).sort();
  const canonical = ['POST', o.endpoint.pathname || '/', '', names.map((n) => `${n}:${headers[n].trim()}\n`).join(''), names.join(';'), sha256Hex(o.body)].join('\n');
  const service = o.signingName ?? 'ssm';
  const scope = `${day}/${o.region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${o.credentials.secretAccessKey}`, day), o.region), service), 'aws4_request');
  const signature = createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${o.credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
  return headers;
}

const MAX_ATTEMPTS = 3;
/** Per attempt; SSM answers in tens of milliseconds. */
const ATTEMPT_TIMEOUT_MS = 10_000;
/** A parameter is at most 8 KiB (advanced tier); 10 of them, or 50 history entries, with their metadata. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;
const THROTTLING = /^(Throttling|ThrottlingException|ThrottledException|RequestThrottledException|TooManyRequestsException|RequestLimitExceeded|ProvisionedThroughputExceededException|TransactionInProgressException|BandwidthLimitExceeded|SlowDown|PriorRequestNotComplete|EC2ThrottledException)$/;
const TRANSIENT_NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH']);

function retryable(e: unknown): boolean {
  if (e instanceof SsmServiceError) return e.$metadata.httpStatusCode >= 500 || e.$metadata.httpStatusCode === 429 || THROTTLING.test(e.name);
  return e instanceof HttpTimeoutError || TRANSIENT_NETWORK.has((e as { code?: string }).code ?? '');
}

export interface SsmJsonApiOptions extends SsmJsonSettings {
  /** Read at each call (Lambda's are in env). */
  env: Record<string, string | undefined>;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

export function ssmJsonApi(o: SsmJsonApiOptions): SsmApi {
  return awsJsonApi({ ...o, service: SSM }) as SsmApi;
}

export function awsJsonApi(o: SsmJsonApiOptions): AwsJsonApi {
  const now = o.now ?? (() => new Date());
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const service = o.service ?? SSM;

  async function attempt(operation: string, body: string) {
    const headers = signSsmRequest({
      endpoint: o.endpoint, region: o.region, target: `${service.targetPrefix}.${operation}`, body, now: now(), signingName: service.signingName,
      credentials: { accessKeyId: o.env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: o.env.AWS_SECRET_ACCESS_KEY ?? '', sessionToken: o.env.AWS_SESSION_TOKEN },
    });
    const answer = await httpExchange(o.endpoint.href, { method: 'POST', headers, body, timeoutMs: ATTEMPT_TIMEOUT_MS, maxBytes: MAX_ANSWER_BYTES });
    let json: Record<string, unknown> | undefined;
    try {
      json = JSON.parse(answer.text || '{}') as Record<string, unknown>;
    } catch {
      json = undefined;
    }
    if (answer.status >= 200 && answer.status < 300 && json !== undefined) return json;
    // The error's name: the x-amzn-ErrorType header or the body's __type, namespace and details cut.
    const typed = String(answer.headers['x-amzn-errortype'] ?? json?.__type ?? json?.code ?? '').split(':')[0].split('#').pop() ?? '';
    const name = typed || (answer.status >= 500 ? 'InternalServerError' : answer.status === 429 ? 'ThrottlingException' : json === undefined ? 'UnreadableAnswer' : 'UnknownError');
    throw new SsmServiceError(name, answer.status, String(json?.message ?? json?.Message ?? `HTTP ${answer.status}`));
  }

  return {
    async call(operation, input) {
      const body = JSON.stringify(input);
      for (let n = 1; ; n++) {
        try {
          return await attempt(operation, body);
        } catch (e) {
          if (n >= MAX_ATTEMPTS || !retryable(e)) throw e;
          await sleep(Math.random() * Math.min(20_000, 100 * 2 ** n));
        }
      }
    },
  };
}
