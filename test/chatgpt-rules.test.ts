// The ChatGPT connectors (src/sources/chatgpt) through the proxy to the simulator: a person's email
// and user id come out as tokens, and prompts, titles and message texts do not come out at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withConnectorProxy } from './helpers/catalogue-proxy.ts';
import { CHATGPT_ENTERPRISE, CODEX_ENTERPRISE_ANALYTICS } from '../src/sources/chatgpt/index.ts';

test('chatgpt-enterprise: a conversation\'s user email and id become tokens and its title does not come out', async () => {
  await withConnectorProxy(CHATGPT_ENTERPRISE, async ({ sim, call }) => {
    const { status, text } = await call('List conversations');
    assert.equal(status, 200, text);
    const rows = (JSON.parse(text) as { data: { user_email: string; user_id: string; title?: string }[] }).data;
    assert.ok(rows.every((r) => /^t~/.test(r.user_email) && /^t~/.test(r.user_id) && r.title === undefined));
    assert.ok(!text.includes(sim.org.people[0].email));
    assert.ok(!/Severance terms/.test(text));
  });
});

test('chatgpt-enterprise: message contents and file names do not come out', async () => {
  await withConnectorProxy(CHATGPT_ENTERPRISE, async ({ call }) => {
    const { status, text } = await call('List conversation messages');
    assert.equal(status, 200, text);
    const messages = (JSON.parse(text) as { data: { content?: unknown; author: { role: string } }[] }).data;
    assert.deepEqual(messages.map((m) => m.author.role), ['user', 'assistant'], 'the shape stays');
    assert.ok(messages.every((m) => m.content === undefined));
    assert.ok(!/warning letter|attendance/.test(text));
  });
});

test('codex-enterprise-analytics: a usage row\'s user email becomes a token and a pull request title does not come out', async () => {
  await withConnectorProxy(CODEX_ENTERPRISE_ANALYTICS, async ({ sim, call }) => {
    const usage = await call('Get Codex usage');
    assert.equal(usage.status, 200, usage.text);
    const rows = (JSON.parse(usage.text) as { data: { actor: { email: string; user_id: string } }[] }).data;
    assert.ok(rows.every((r) => /^t~/.test(r.actor.email) && /^t~/.test(r.actor.user_id)));
    assert.ok(sim.org.people.every((p) => !usage.text.includes(p.email)));
    const reviews = await call('Get Codex code reviews');
    assert.equal(reviews.status, 200, reviews.text);
    assert.ok(!/Fix payroll export/.test(reviews.text));
  });
});
