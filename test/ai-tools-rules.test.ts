// The AI-tool connectors (src/sources/{anthropic,cursor,windsurf}) through the proxy to the
// simulator: a person's email or id comes out as a token, prompts, titles and names do not come
// out at all, and Windsurf's service key travels only in the request body to the source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withConnectorProxy } from './helpers/catalogue-proxy.ts';
import { CLAUDE, CLAUDE_CODE } from '../src/sources/anthropic/index.ts';
import { CURSOR } from '../src/sources/cursor/index.ts';
import { WINDSURF } from '../src/sources/windsurf/index.ts';

test('claude: a chat\'s user email becomes a token and the message texts and chat title do not come out', async () => {
  await withConnectorProxy(CLAUDE, async ({ sim, call }) => {
    const { status, text } = await call('List chat messages');
    assert.equal(status, 200, text);
    const chat = JSON.parse(text) as { user: { email_address: string }; chat_messages: { content?: unknown }[] };
    assert.match(chat.user.email_address, /^t~/);
    assert.ok(!text.includes(sim.org.people[0].email));
    assert.ok(chat.chat_messages.every((m) => m.content === undefined), 'message contents redacted');
    assert.ok(!/Summarize the complaint|performance notes/.test(text));
  });
});

test('claude-code: a usage row\'s actor email becomes a token and an API key\'s name does not come out', async () => {
  await withConnectorProxy(CLAUDE_CODE, async ({ sim, call }) => {
    const { text } = await call('Get Claude Code usage report');
    const rows = (JSON.parse(text) as { data: { actor: Record<string, string> }[] }).data;
    assert.match(rows[0].actor.email_address, /^t~/);
    assert.ok(sim.org.people.every((p) => !text.includes(p.email)));
    assert.ok(!text.includes('laptop key'));
    assert.ok(sim.calls.every((c) => c.authorized), 'the admin key went upstream');
  }, { SOURCE_AUTH_STRATEGY_IDENTIFIER: 'claude_admin_api_key', ADMIN_API_KEY: 'sk-ant-admin01-test' });
});

test('cursor: members\' emails become tokens and their names do not come out, with the key as the basic-auth user', async () => {
  await withConnectorProxy(CURSOR, async ({ sim, call }) => {
    const { status, text } = await call('Get team members');
    assert.equal(status, 200, text);
    const members = (JSON.parse(text) as { teamMembers: { email: string; name?: string }[] }).teamMembers;
    assert.ok(members.every((m) => /^t~/.test(m.email) && m.name === undefined));
    assert.ok(!text.includes(sim.org.people[0].displayName));
  }, { SOURCE_AUTH_STRATEGY_IDENTIFIER: 'basic_auth', BASIC_AUTH_USER_ID: 'key_cursor_test' });
});

test('windsurf: the service key reaches the source in the POST body, and never comes back nor is logged', async () => {
  const key = 'ws-service-key-0123456789';
  await withConnectorProxy(WINDSURF, async ({ sim, logLines, call }) => {
    const { status, text } = await call('Get user page analytics');
    assert.equal(status, 200, text);
    const upstream = sim.calls.at(-1)!;
    assert.equal(upstream.method, 'POST');
    assert.equal((JSON.parse(upstream.body) as { service_key: string }).service_key, key);
    assert.ok(!text.includes(key), 'the key is not in the response');
    assert.ok(logLines.every((l) => !l.includes(key)), 'the key is not logged');
    const stats = (JSON.parse(text) as { userTableStats: { email: string; name?: string }[] }).userTableStats;
    assert.ok(stats.every((s) => /^t~/.test(s.email) && s.name === undefined));
  }, { SOURCE_AUTH_STRATEGY_IDENTIFIER: 'windsurf_service_key', SERVICE_KEY: key });
});
