// The GitLab.com and Glean connectors (src/sources/gitlab, src/sources/glean) through the proxy to
// the simulator: a person's id, username and email come out as tokens, and titles, commit
// messages, note bodies and names do not come out at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withConnectorProxy } from './helpers/catalogue-proxy.ts';
import { GITLAB_CLOUD } from '../src/sources/gitlab/index.ts';
import { GLEAN } from '../src/sources/glean/index.ts';

const TOKEN = /^t~/;

test('gitlab-cloud: a merge request\'s people become tokens, its branch a reversible token, and its title and description do not come out', async () => {
  await withConnectorProxy(GITLAB_CLOUD, async ({ sim, call }) => {
    const { status, text } = await call('Get a merge request');
    assert.equal(status, 200, text);
    const mr = JSON.parse(text) as Record<string, unknown> & { author: { id: unknown; username: string; name?: string }; reviewers: { id: unknown }[]; source_branch: string };
    assert.ok(TOKEN.test(String(mr.author.id)) && TOKEN.test(mr.author.username) && mr.author.name === undefined);
    assert.ok(mr.reviewers.every((r) => TOKEN.test(String(r.id))));
    assert.match(mr.source_branch, /^p~/);
    assert.equal(mr.state, 'merged', 'the shape stays');
    assert.equal(mr.title, undefined);
    assert.ok(!/payslip/.test(text) && !text.includes(sim.org.people[0].displayName));
  });
});

test('gitlab-cloud: commit emails become tokens and commit messages do not come out', async () => {
  await withConnectorProxy(GITLAB_CLOUD, async ({ sim, call }) => {
    const { status, text } = await call('List repository commits');
    assert.equal(status, 200, text);
    const commits = JSON.parse(text) as { author_email: string; message?: string; stats: { total: number } }[];
    assert.equal(commits.length, 3);
    assert.ok(commits.every((c) => TOKEN.test(c.author_email) && c.message === undefined && typeof c.stats.total === 'number'));
    assert.ok(sim.org.people.every((p) => !text.includes(p.email)));
    assert.ok(!/payroll rounding/.test(text));
  });
});

test('glean: people\'s obfuscated ids and emails become tokens, and titles and team names do not come out', async () => {
  await withConnectorProxy(GLEAN, async ({ sim, call }) => {
    const { status, text } = await call('List entities (people and teams)');
    assert.equal(status, 200, text);
    const { results, teamResults } = JSON.parse(text) as { results: { obfuscatedId: string; name?: string; metadata: { email: string; title?: string } }[]; teamResults: { name?: string }[] };
    assert.equal(results.length, sim.org.people.length);
    assert.ok(results.every((p) => TOKEN.test(p.obfuscatedId) && TOKEN.test(p.metadata.email) && p.name === undefined && p.metadata.title === undefined));
    assert.equal(teamResults[0].name, undefined);
    assert.ok(!/family accounts|payroll squad/.test(text));
  });
});

test('glean: per-user insights keep their counts under a tokenized person', async () => {
  await withConnectorProxy(GLEAN, async ({ call }) => {
    const { status, text } = await call('Get insights (overview, assistant, agents)');
    assert.equal(status, 200, text);
    const agents = (JSON.parse(text) as { agentsResponse: { agentUsersInsights: { person: { obfuscatedId: string }; averageRunsPerDayCount: number }[]; topAgentsInsights?: unknown } }).agentsResponse;
    assert.ok(agents.agentUsersInsights.every((u) => TOKEN.test(u.person.obfuscatedId) && typeof u.averageRunsPerDayCount === 'number'));
    assert.equal(agents.topAgentsInsights, undefined);
    assert.ok(!/performance review/.test(text));
  });
});
