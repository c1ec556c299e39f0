/**
 * `psoxy call <url>`: calls a deployed proxy the way the analytics client does — SigV4-signed for
 * an AWS_IAM function URL or API Gateway (optionally assuming a role first), or with a GCP identity
 * token — and prints the status, the `X-Psoxy-*` headers and the body. `--health` asks for the
 * health check instead.
 */
import { Command, Option } from 'commander';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { action, oneOf, UsageError } from './options.ts';

export interface AwsCredentials { accessKeyId: string; secretAccessKey: string; sessionToken?: string }

/** `service` and `region` from a function URL / API Gateway host when not given. */
export function awsTarget(url: URL): { service: string; region: string } | null {
  const lambda = /\.lambda-url\.([a-z0-9-]+)\.on\.aws$/.exec(url.hostname);
  if (lambda) return { service: 'lambda', region: lambda[1] };
  const apigw = /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/.exec(url.hostname);
  if (apigw) return { service: 'execute-api', region: apigw[1] };
  return null;
}

/** SigV4 headers for a request (the body, if any, is signed too). */
export async function signAws(url: URL, method: string, headers: Record<string, string>, body: string | undefined, o: { service: string; region: string; credentials: AwsCredentials }): Promise<Record<string, string>> {
  const signer = new SignatureV4({ service: o.service, region: o.region, credentials: o.credentials, sha256: Sha256 });
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  const signed = await signer.sign({
    method, protocol: url.protocol, hostname: url.hostname, port: url.port ? Number(url.port) : undefined,
    path: url.pathname, query, headers: { ...headers, host: url.host }, body,
  });
  return signed.headers as Record<string, string>;
}

async function credentialsFor(roleArn: string | undefined, region: string): Promise<AwsCredentials> {
  const env = process.env;
  const base: AwsCredentials = env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
    ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) }
    : await defaultProvider({ timeout: 2000, maxRetries: 1 })();
  if (!roleArn) return base;
  const r = await new STSClient({ region, credentials: base }).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: `psoxy-call-${Date.now()}` }));
  const c = r.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken };
}

interface CallOptions {
  health: boolean; method: string; data?: string; region?: string; service?: string; roleArn?: string;
  sign?: 'aws' | 'gcp' | 'none'; identityToken?: string; audience?: string; header: string[];
}

async function call(target: string, values: CallOptions): Promise<number> {
  if (!URL.canParse(target)) throw new UsageError(`<url> must be an absolute URL such as https://abc.lambda-url.us-east-1.on.aws/v2/users (was "${target}")`);
  const url = new URL(target);
  const headers: Record<string, string> = { accept: 'application/json', 'accept-encoding': 'gzip' };
  for (const h of values.header) {
    const i = h.indexOf(':');
    if (i <= 0) throw new UsageError(`--header must be name: value (was "${h}")`);
    headers[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
  }
  if (values.health) headers['x-psoxy-health-check'] = 'true';
  const detected = awsTarget(url);
  const sign = values.sign ?? (detected ? 'aws' : url.hostname.endsWith('.run.app') || url.hostname.endsWith('.cloudfunctions.net') ? 'gcp' : 'none');
  let finalHeaders = headers;
  if (sign === 'aws') {
    const region = values.region ?? detected?.region ?? process.env.AWS_REGION ?? 'us-east-1';
    const service = values.service ?? detected?.service ?? 'lambda';
    finalHeaders = await signAws(url, values.method, headers, values.data, { service, region, credentials: await credentialsFor(values.roleArn, region) });
  } else if (sign === 'gcp') {
    let token = values.identityToken;
    if (!token) {
      const { GoogleAuth } = await import('google-auth-library');
      const client = await new GoogleAuth().getIdTokenClient(values.audience ?? url.origin);
      token = (await client.idTokenProvider.fetchIdToken(values.audience ?? url.origin));
    }
    finalHeaders = { ...headers, authorization: `Bearer ${token}` };
  }
  const res = await fetch(url, { method: values.method, headers: finalHeaders, body: values.data });
  const print = (line: string) => process.stdout.write(line + '\n');
  print(`HTTP ${res.status}`);
  res.headers.forEach((v, k) => { if (k.startsWith('x-psoxy-')) print(`${k}: ${v}`); });
  const text = await res.text();
  try {
    print(JSON.stringify(JSON.parse(text), null, 2));
  } catch {
    print(text);
  }
  return res.ok ? 0 : 1;
}

export function callCommand(): Command {
  return new Command('call')
    .description('call a deployed proxy as the analytics client does (SigV4 for AWS, an identity token for GCP) and print status, X-Psoxy-* headers and body')
    .argument('<url>', 'the proxy URL with the API path, e.g. https://<id>.lambda-url.<region>.on.aws/v2/users')
    .option('--health', 'ask for the health check instead', false)
    .addOption(new Option('--method <method>', 'the request method').default('GET').argParser((v) => v.toUpperCase()))
    .option('--data <body>', 'the request body')
    .addOption(new Option('--sign <how>', 'aws, gcp or none (default: from the host name)').argParser(oneOf('--sign', ['aws', 'gcp', 'none'] as const)))
    .option('--region <region>', 'AWS region to sign for (default: from the host, then AWS_REGION)')
    .option('--service <service>', 'AWS service to sign for: lambda or execute-api (default: from the host)')
    .option('--role-arn <arn>', 'assume this AWS role first (as the analytics client does)')
    .option('--identity-token <token>', 'GCP identity token (default: from Application Default Credentials)')
    .option('--audience <url>', 'GCP identity-token audience (default: the URL\'s origin)')
    .option('--header <name: value>', 'an extra request header (repeatable)', (h: string, all: string[]) => [...all, h], [])
    .addHelpText('after', `
Examples:
  $ psoxy call https://abc.lambda-url.us-east-1.on.aws/ --health
  $ psoxy call 'https://abc.lambda-url.us-east-1.on.aws/v2/users?page_size=5' --role-arn arn:aws:iam::123456789012:role/analytics
  $ psoxy call https://psoxy-zoom-xyz.a.run.app/v2/users --sign gcp

Exits 0 on a 2xx answer, 1 otherwise.`)
    .action(action(call));
}
