// Where our GitHub and Slack rules go beyond psoxy's on purpose (see src/sources/{github,slack}/rules.ts):
// GraphQL mutations are refused, and Slack user ids psoxy leaves in clear come back as tokens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Connector } from '../src/sources/catalogue/connector.ts';
import { SourceSimulator } from '../src/sources/catalogue/simulator.ts';
import { createProxyHandler } from '../src/proxy/handler.ts';
import { ConfigService } from '../src/config/config-service.ts';
import { MemoryStore } from '../src/config/store.ts';
import { memoryLogger } from '../src/logging/logger.ts';
import { connectorDefaults } from '../src/sources/index.ts';
import { GITHUB } from '../src/sources/github/index.ts';
import { SLACK_DISCOVERY } from '../src/sources/slack/index.ts';

async function throughProxy(c: Connector, call: (proxy: ReturnType<typeof createProxyHandler>) => Promise<void>): Promise<void> {
  const sim = new SourceSimulator(c, { seed: 7, people: 5 });
  await sim.start();
  try {
    const env = { PSOXY_SALT: 'salt', PSOXY_ENCRYPTION_KEY: 'secret', ...sim.settings() };
    const config = new ConfigService({ env, instancePrefix: 'PSOXY_X_', instanceStore: new MemoryStore(), defaults: { ...connectorDefaults(c.id) } });
    await call(createProxyHandler({ config, logger: memoryLogger() }));
  } finally {
    await sim.stop();
  }
}

const post = (body: unknown) => new Request('https://x/', { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });

test('github: a GraphQL query passes, a document holding a mutation is refused before it reaches GitHub', async () => {
  await throughProxy(GITHUB, async (proxy) => {
    const query = await proxy(post({ query: '{ organization(login: "acme-corp") { membersWithRole(first: 1) { edges { node { login } } } } }' }), { rawUrl: '/graphql', https: true });
    assert.equal(query.status, 200);
    const mutation = await proxy(post({ query: 'query A { viewer { login } } mutation B { deleteRepository(input: {repositoryId: "R_1"}) { clientMutationId } }', operationName: 'B' }), { rawUrl: '/graphql', https: true });
    assert.notEqual(mutation.status, 200);
  });
});

test('slack: a channel_join inviter and a thread reply\'s parent_user_id come back as tokens', async () => {
  await throughProxy(SLACK_DISCOVERY, async (proxy) => {
    const res = await proxy(new Request('https://x/'), { rawUrl: '/api/discovery.conversations.history?channel=C0PLANNING1&limit=100', https: true });
    const { messages } = await res.json() as { messages: Record<string, string>[] };
    const reply = messages.find((m) => m.parent_user_id !== undefined)!;
    const join = messages.find((m) => m.subtype === 'channel_join')!;
    assert.match(reply.parent_user_id, /^t~/);
    assert.match(join.inviter, /^t~/);
  });
});
