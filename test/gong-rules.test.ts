// The Gong metrics connector (src/sources/gong) through the proxy to the simulator: a user's id and
// email come out as tokens (the id a reversible p~ one), and their names and title do not come out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withConnectorProxy } from './helpers/catalogue-proxy.ts';
import { GONG_METRICS } from '../src/sources/gong/index.ts';

test('gong-metrics: users\' ids and emails become tokens and their names and titles do not come out', async () => {
  await withConnectorProxy(GONG_METRICS, async ({ sim, get }) => {
    const { status, text } = await get('/v2/users');
    assert.equal(status, 200, text);
    const users = (JSON.parse(text) as { users: { id: string; emailAddress: string; firstName?: string; title?: string }[] }).users;
    assert.ok(users.every((u) => /^p~/.test(u.id) && /^t~/.test(u.emailAddress) && u.firstName === undefined && u.title === undefined));
    assert.ok(sim.org.people.every((p) => !text.includes(p.email) && !text.includes(p.displayName)));
    assert.ok(!/account executive/.test(text));
  });
});
