// A regenerated Zoom Client Secret is picked up without a redeploy: the admin updates the store,
// and two proxies sharing it carry on under load with no error to callers (local store, SSM,
// Secret Manager, each through its real client against its fake).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SSMClient } from '@aws-sdk/client-ssm';
import { ZoomSimulator } from '../src/sources/zoom/simulator/server.ts';
import { MemoryStore } from '../src/config/store.ts';
import { createProxyHandler, type ProxyHandler } from '../src/proxy/handler.ts';
import { localConfig } from '../src/runtimes/node/serve.ts';
import { awsConfig } from '../src/runtimes/aws/lambda.ts';
import { gcpConfig } from '../src/runtimes/gcp/api-function.ts';
import { memoryLogger } from '../src/logging/logger.ts';
import type { ConfigService } from '../src/config/config-service.ts';
import { FakeAwsJson } from './fakes/aws-json-fake.ts';
import { FakeSecretManager } from './fakes/secret-manager-fake.ts';
import { awsClientConfig, secretManagerClient } from './helpers/cloud-clients.ts';

const SALT = 'rotation-salt';
const KEY = 'rotation-key';

/** Two proxies over one store; `put` is how the admin writes a value into it. */
interface Deployment {
  proxies: ProxyHandler[];
  logs: string[];
  put(name: string, value: string): Promise<void>;
  close(): Promise<void>;
}

const call = async (proxy: ProxyHandler) => {
  const res = await proxy(new Request('https://proxy.invalid/'), { rawUrl: '/v2/users?page_size=5' });
  return { status: res.status, body: await res.text() };
};

function twoProxies(config: () => ConfigService, logs = memoryLogger()): { proxies: ProxyHandler[]; logs: string[] } {
  const proxies = [0, 1].map(() => createProxyHandler({ config: config(), logger: logs, tokenTimings: { lockRetryMs: 20, settleMs: 0 } }));
  return { proxies, logs: logs.lines };
}

async function localDeployment(sim: ZoomSimulator): Promise<Deployment> {
  const store = new MemoryStore(sim.credentialSettings(), { description: 'local store .psoxy-local/zoom.json' });
  const env = { ...sim.targetSettings(), PSOXY_SALT: SALT, PSOXY_ENCRYPTION_KEY: KEY };
  return { ...twoProxies(() => localConfig({ source: 'zoom', env, store, logger: memoryLogger() })), put: (n, v) => store.put(n, v), close: async () => {} };
}

async function ssmDeployment(sim: ZoomSimulator): Promise<Deployment> {
  const fake = new FakeAwsJson();
  const endpoint = await fake.start();
  fake.putParam('PSOXY_SALT', SALT);
  fake.putParam('PSOXY_ENCRYPTION_KEY', KEY);
  for (const [name, value] of Object.entries(sim.credentialSettings())) fake.putParam(name, value);
  const env = { AWS_LAMBDA_FUNCTION_NAME: 'psoxy-zoom', SOURCE: 'zoom', ...sim.targetSettings() };
  return { ...twoProxies(() => awsConfig({ env, ssm: new SSMClient(awsClientConfig(endpoint)) })), put: async (n, v) => fake.putParam(n, v), close: () => fake.stop() };
}

async function secretManagerDeployment(sim: ZoomSimulator): Promise<Deployment> {
  const fake = new FakeSecretManager();
  const endpoint = await fake.start();
  fake.set('PSOXY_SALT', SALT);
  fake.set('PSOXY_ENCRYPTION_KEY', KEY);
  for (const [name, value] of Object.entries(sim.credentialSettings())) fake.set(name, value);
  fake.set('PSOXY_ZOOM_ACCESS_TOKEN');
  fake.set('PSOXY_ZOOM_OAUTH_REFRESH_TOKEN');
  const env = { K_SERVICE: 'psoxy-zoom', SOURCE: 'zoom', ...sim.targetSettings() };
  return { ...twoProxies(() => gcpConfig({ env, secretManager: secretManagerClient(endpoint), project: 'p' })), put: async (n, v) => fake.set(n, v), close: () => fake.stop() };
}

for (const [store, deploy] of [['local store', localDeployment], ['SSM Parameter Store', ssmDeployment], ['Secret Manager', secretManagerDeployment]] as const) {
  test(`${store}: the admin regenerates the Client Secret and updates the store mid-run; no caller sees an error`, async () => {
    const sim = new ZoomSimulator({ orgOptions: { seed: 4, users: 12, meetingsPerUser: 1 } });
    await sim.start();
    const d = await deploy(sim);
    try {
      for (const p of d.proxies) {
        const warm = await call(p);
        assert.equal(warm.status, 200, `warm (credentials cached, token shared): ${warm.body}`);
      }
      const results: { status: number; body: string }[] = [];
      for (let round = 0; round < 10; round++) {
        if (round === 3) {
          await d.put('PSOXY_ZOOM_CLIENT_SECRET', sim.regenerateClientSecret());
          sim.revokeAllTokens(); // the next calls need a new token, exchanged with cached (old) credentials first
        }
        results.push(...await Promise.all(d.proxies.flatMap((p) => [call(p), call(p), call(p)])));
      }
      assert.deepEqual(results.filter((r) => r.status !== 200), [], 'no caller saw an error');
      assert.ok(sim.stats.refusedClients >= 1, 'the old secret was refused at least once');
      assert.ok(d.logs.some((l) => l.includes('retrying with the values now in the store')));
      assert.ok(!d.logs.join('').includes(sim.clientSecret), 'the secret is never logged');
    } finally {
      await d.close();
      await sim.stop();
    }
  });
}

test('a store still holding the old secret: the error names PSOXY_ZOOM_CLIENT_SECRET and where it was read; updating it is then enough', async () => {
  const sim = new ZoomSimulator({ orgOptions: { seed: 4, users: 12, meetingsPerUser: 1 } });
  await sim.start();
  const d = await localDeployment(sim);
  try {
    assert.equal((await call(d.proxies[0])).status, 200);
    const fresh = sim.regenerateClientSecret();
    sim.revokeAllTokens();
    const stale = await call(d.proxies[0]);
    assert.equal(stale.status, 500);
    assert.match(stale.body, /update PSOXY_ZOOM_CLIENT_SECRET with the app's current Client Secret \(read from local store \.psoxy-local\/zoom\.json: PSOXY_ZOOM_CLIENT_SECRET\)/);
    assert.ok(!stale.body.includes(fresh) && !stale.body.includes('sim-client-secret'));
    // While refused, requests fail fast: the token endpoint is not asked again by each of them.
    const refusedBefore = sim.stats.refusedClients;
    const burst = await Promise.all(Array.from({ length: 10 }, () => call(d.proxies[0])));
    assert.ok(burst.every((r) => r.status === 500));
    assert.ok(sim.stats.refusedClients - refusedBefore <= 1, `${sim.stats.refusedClients - refusedBefore} token requests for 10 calls`);
    await d.put('PSOXY_ZOOM_CLIENT_SECRET', fresh);
    await new Promise((r) => setTimeout(r, 2_100)); // the store is re-read at most every 2 s while refused
    assert.equal((await call(d.proxies[0])).status, 200, 'picked up without a restart');
  } finally {
    await d.close();
    await sim.stop();
  }
});
