// Our Google Workspace rules where they go beyond psoxy's (conformance and the leak test in
// catalogue.test.ts cover the rest): reads only, and Gemini's per-user log only by numeric id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EndpointMatcher } from '../src/rules/match.ts';
import { loadApiRules } from '../src/rules/load.ts';
import { builtInRulesYaml } from '../src/sources/index.ts';

const matcher = (source: string) => new EndpointMatcher(loadApiRules(builtInRulesYaml(source)!, source));
const allows = (source: string, method: string, url: string) => {
  const [path, query] = url.split('?');
  return matcher(source).match(method, path, query ?? null) !== null;
};

test('Google Workspace rules let reads through and refuse writes (psoxy\'s would pass a POST creating an event or a message)', () => {
  for (const [source, url] of [['gcal', '/calendar/v3/calendars/primary/events'], ['gmail', '/gmail/v1/users/me/messages'], ['gdirectory', '/admin/directory/v1/users'], ['google-meet', '/admin/reports/v1/activity/users/all/applications/meet']]) {
    assert.ok(allows(source, 'GET', url), `${source} GET ${url}`);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) assert.equal(allows(source, method, url), false, `${source} ${method} ${url}`);
  }
});

test('Gemini in Workspace apps: everyone\'s log or one user\'s by numeric profile id, with Google\'s paging and time parameters only', () => {
  const base = '/admin/reports/v1/activity/users';
  const app = 'applications/gemini_in_workspace_apps';
  assert.ok(allows('gemini-in-workspace-apps', 'GET', `${base}/all/${app}?maxResults=10&startTime=2026-10-01T00:00:00Z`));
  assert.ok(allows('gemini-in-workspace-apps', 'GET', `${base}/103000000000000007919/${app}`));
  assert.equal(allows('gemini-in-workspace-apps', 'GET', `${base}/alice@example-corp.com/${app}`), false);
  assert.equal(allows('gemini-in-workspace-apps', 'GET', `${base}/all/${app}?filters=actor.email==alice@example-corp.com`), false);
  assert.equal(allows('gemini-in-workspace-apps', 'GET', `${base}/all/applications/drive`), false);
});
