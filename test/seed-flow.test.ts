// Switching from psoxy, as its Terraform leaves the stores: the Zoom values are placeholders
// ('fill me' in SSM; secrets without versions in Secret Manager), the salt and key are psoxy's
// own, and the function has psoxy's grants. The health check names exactly the three values to
// fill; once they are filled, calls succeed and pseudonyms are psoxy's for the same ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SSMClient } from '@aws-sdk/client-ssm';
import { ZoomSimulator } from '../src/sources/zoom/simulator/server.ts';
import { createProxyHandler, type ProxyHandler } from '../src/proxy/handler.ts';
import { awsConfig } from '../src/runtimes/aws/lambda.ts';
import { gcpConfig } from '../src/runtimes/gcp/api-function.ts';
import { FakeAwsJson } from './fakes/aws-json-fake.ts';
import { FakeSecretManager } from './fakes/secret-manager-fake.ts';
import { awsClientConfig, secretManagerClient } from './helpers/cloud-clients.ts';

/** psoxy's documented vectors (salt `salt`, key `secret`): its Zoom example user, sanitized by psoxy. */
const PSOXY_USER = { id: 'z8yAAAAA8bbbQ', email: 'example@example.com', pmi: 111111111, status: 'active' };
const PSOXY_PSEUDONYMS = {
  id: 'p~JzXCV2FA272NOeqHYQbR4PewwSZI9hznATn7Wse3j8GpsoD91NC0nDg1vNKrhPEc',
  email: 't~8ZuLJANBU0hIFqmaE8RjwHZqRb4MezRyGZ6rLZUkKSg@example.com',
  pmi: 'p~LKW3WIP3bZzEQFelvQBi0lpLDZtk-1qJbWe3rHfhYhdfeki-8voee3S0wopon6Y3',
};

interface Seeded {
  proxy: ProxyHandler;
  /** The admin fills the three Zoom values where psoxy's docs say. */
  fill(values: Record<'ACCOUNT_ID' | 'CLIENT_ID' | 'CLIENT_SECRET', string>): void;
  denied(): string[];
  close(): Promise<void>;
}

async function awsAsPsoxyLeftIt(sim: ZoomSimulator): Promise<Seeded> {
  const fake = new FakeAwsJson();
  const endpoint = await fake.start();
  fake.putParam('PSOXY_SALT', 'salt');
  fake.putParam('PSOXY_ENCRYPTION_KEY', 'secret');
  for (const name of ['ACCOUNT_ID', 'CLIENT_ID', 'CLIENT_SECRET']) fake.putParam(`PSOXY_ZOOM_${name}`, 'fill me');
  const instance = ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParameterHistory', 'ssm:GetParametersByPath', 'ssm:PutParameter', 'ssm:DeleteParameter'];
  const policy: Record<string, string[]> = Object.fromEntries(instance.map((a) => [a, ['PSOXY_ZOOM_*']]));
  for (const a of ['ssm:GetParameter', 'ssm:GetParameters']) policy[a].push('PSOXY_SALT', 'PSOXY_ENCRYPTION_KEY');
  fake.enforce(policy);
  const env = { AWS_LAMBDA_FUNCTION_NAME: 'psoxy-zoom', SOURCE: 'zoom', ...sim.targetSettings() };
  return {
    proxy: createProxyHandler({ config: awsConfig({ env, ssm: new SSMClient(awsClientConfig(endpoint)) }), tokenTimings: { settleMs: 0 } }),
    fill: (values) => { for (const [k, v] of Object.entries(values)) fake.putParam(`PSOXY_ZOOM_${k}`, v); },
    denied: () => fake.denied,
    close: () => fake.stop(),
  };
}

async function gcpAsPsoxyLeftIt(sim: ZoomSimulator): Promise<Seeded> {
  const fake = new FakeSecretManager();
  const endpoint = await fake.start();
  // psoxy's GCP names: prefix `psoxy_`, instance `psoxy_ZOOM_`, both passed to the function in env.
  for (const [name, value] of [['psoxy_PSOXY_SALT', 'salt'], ['psoxy_PSOXY_ENCRYPTION_KEY', 'secret']]) {
    fake.set(name, value);
    fake.grant(name, 'secretAccessor');
  }
  for (const name of ['ACCOUNT_ID', 'CLIENT_ID', 'CLIENT_SECRET']) {
    fake.set(`psoxy_ZOOM_${name}`); // created without a version, for the admin to add one
    fake.grant(`psoxy_ZOOM_${name}`, 'secretAccessor');
  }
  for (const name of ['ACCESS_TOKEN', 'OAUTH_REFRESH_TOKEN']) {
    fake.set(`psoxy_ZOOM_${name}`);
    fake.grant(`psoxy_ZOOM_${name}`, 'secretVersionManager');
  }
  const env = { K_SERVICE: 'psoxy-zoom', SOURCE: 'zoom', PATH_TO_SHARED_CONFIG: 'psoxy_', PATH_TO_INSTANCE_CONFIG: 'psoxy_ZOOM_', ...sim.targetSettings() };
  return {
    proxy: createProxyHandler({ config: gcpConfig({ env, secretManager: secretManagerClient(endpoint), project: 'p' }), tokenTimings: { settleMs: 0 } }),
    fill: (values) => { for (const [k, v] of Object.entries(values)) fake.set(`psoxy_ZOOM_${k}`, v); },
    denied: () => fake.denied,
    close: () => fake.stop(),
  };
}

for (const [cloud, seed] of [['AWS (SSM Parameter Store)', awsAsPsoxyLeftIt], ['GCP (Secret Manager)', gcpAsPsoxyLeftIt]] as const) {
  test(`${cloud}: the health check names the three Zoom values to fill; filled, calls succeed with psoxy's pseudonyms`, async () => {
    const sim = new ZoomSimulator({ orgOptions: { seed: 11, users: 5, meetingsPerUser: 1 } });
    await sim.start();
    const s = await seed(sim);
    try {
      const health = async () => {
        const res = await s.proxy(new Request('https://x/', { headers: { 'X-Psoxy-Health-Check': '1' } }), { rawUrl: '/' });
        return { status: res.status, facts: (await res.json()) as { missingConfigProperties: string[]; nonDefaultSalt: boolean } };
      };
      const before = await health();
      assert.equal(before.status, 412);
      assert.deepEqual([...before.facts.missingConfigProperties].sort(), ['ACCOUNT_ID', 'CLIENT_ID', 'CLIENT_SECRET']);
      assert.equal(before.facts.nonDefaultSalt, true, "psoxy's salt is found");
      const blocked = await s.proxy(new Request('https://x/'), { rawUrl: '/v2/users' });
      assert.equal(blocked.status, 500, 'no call before the values are filled');

      s.fill({ ACCOUNT_ID: sim.accountId, CLIENT_ID: sim.clientId, CLIENT_SECRET: sim.clientSecret });
      const after = await health();
      assert.equal(after.status, 200, `seen at once, not after a cache expires: ${JSON.stringify(after.facts)}`);
      sim.inject({ path: /^\/v2\/users$/, status: 200, body: JSON.stringify({ users: [PSOXY_USER], page_size: 1, total_records: 1 }) });
      const res = await s.proxy(new Request('https://x/'), { rawUrl: '/v2/users' });
      const text = await res.text();
      assert.equal(res.status, 200, text);
      const user = (JSON.parse(text) as { users: Record<string, unknown>[] }).users[0];
      assert.deepEqual({ id: user.id, email: user.email, pmi: user.pmi }, PSOXY_PSEUDONYMS, "psoxy's pseudonyms for psoxy's salt");
      assert.deepEqual(s.denied(), [], "nothing outside psoxy's grants");
    } finally {
      await s.close();
      await sim.stop();
    }
  });
}
