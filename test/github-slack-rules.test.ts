// Where our GitHub and Slack rules go beyond psoxy's on purpose (see src/sources/{github,slack}/rules.ts):
// GraphQL mutations are refused, and Slack user ids psoxy leaves in clear come back as tokens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withConnectorProxy } from './helpers/catalogue-proxy.ts';
import { GITHUB } from '../src/sources/github/index.ts';
import { SLACK_DISCOVERY } from '../src/sources/slack/index.ts';

test('github: a GraphQL query passes, a document holding a mutation is refused before it reaches GitHub', async () => {
  await withConnectorProxy(GITHUB, async ({ post }) => {
    const query = await post('/graphql', { query: '{ organization(login: "acme-corp") { membersWithRole(first: 1) { edges { node { login } } } } }' });
    assert.equal(query.status, 200);
    const mutation = await post('/graphql', { query: 'query A { viewer { login } } mutation B { deleteRepository(input: {repositoryId: "R_1"}) { clientMutationId } }', operationName: 'B' });
    assert.notEqual(mutation.status, 200);
  });
});

test('slack: a channel_join inviter and a thread reply\'s parent_user_id come back as tokens', async () => {
  await withConnectorProxy(SLACK_DISCOVERY, async ({ get }) => {
    const { text } = await get('/api/discovery.conversations.history?channel=C0PLANNING1&limit=100');
    const { messages } = JSON.parse(text) as { messages: Record<string, string>[] };
    const reply = messages.find((m) => m.parent_user_id !== undefined)!;
    const join = messages.find((m) => m.subtype === 'channel_join')!;
    assert.match(reply.parent_user_id, /^t~/);
    assert.match(join.inviter, /^t~/);
  });
});
