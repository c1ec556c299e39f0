// confluence-cloud, atlassian-organization and gdrive through the proxy to the simulator: a
// person's account id, email or Drive permission id comes out as a token; titles, messages,
// bodies and file names do not come out at all (src/sources/atlassian/, src/sources/google-workspace/drive.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withConnectorProxy } from './helpers/catalogue-proxy.ts';
import { CONFLUENCE_CLOUD } from '../src/sources/atlassian/confluence.ts';
import { ATLASSIAN_ORGANIZATION } from '../src/sources/atlassian/organization.ts';
import { GDRIVE } from '../src/sources/google-workspace/drive.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

test('confluence-cloud: a page version\'s author and a searched page\'s creator are tokens; titles, version messages and task bodies are gone', async () => {
  await withConnectorProxy(CONFLUENCE_CLOUD, async ({ sim, call }) => {
    const versions = await call('Get page versions');
    assert.equal(versions.status, 200);
    const [version] = (JSON.parse(versions.text) as Json).results as Json[];
    assert.match(version.authorId, /^t~/);
    assert.deepEqual(version.page, { id: '393217' });
    assert.equal(version.message, undefined);

    const search = await call('Search content by CQL');
    const [page] = (JSON.parse(search.text) as Json).results as Json[];
    assert.match(page.history.createdBy.accountId, /^t~/);
    assert.match(page.version.by.email, /^t~.*@/);
    assert.equal(page.title, undefined);
    assert.equal(page.history.createdBy.displayName, undefined);

    const tasks = await call('Get tasks');
    assert.equal(((JSON.parse(tasks.text) as Json).results as Json[])[0].body, undefined);
    const texts = sim.org.extraPersonal.filter((v) => / notes|checklist|Call /.test(v));
    assert.ok(texts.length >= 3, 'the simulator put titles, messages and a task body in');
    assert.deepEqual(texts.filter((v) => [versions.text, search.text, tasks.text].some((t) => t.includes(v))), []);
  });
});

test('confluence-cloud: a personal space\'s key (~accountId) is a token, a team space\'s key is kept', async () => {
  await withConnectorProxy(CONFLUENCE_CLOUD, async ({ call }) => {
    const [team, personal] = (JSON.parse((await call('Get spaces')).text) as Json).results as Json[];
    assert.equal(team.key, 'IT');
    assert.match(personal.key, /^t~/);
    assert.equal(personal.name, undefined);
  });
});

test('atlassian-organization: an event\'s actor, the account acted for and the account it concerns are tokens; its message and IP are gone', async () => {
  await withConnectorProxy(ATLASSIAN_ORGANIZATION, async ({ sim, call }) => {
    const { status, text } = await call('Query audit events');
    assert.equal(status, 200);
    const [event] = (JSON.parse(text) as Json).data as Json[];
    const { actor, context, location } = event.attributes;
    assert.match(actor.id, /^t~/);
    assert.match(actor.onBehalfOf.email, /^t~.*@/);
    assert.equal(context[0].id, actor.onBehalfOf.id, 'the same account comes out as the same token');
    assert.equal(actor.name, undefined);
    assert.equal(location, undefined);
    assert.equal(event.message, undefined);
    assert.ok(sim.org.extraPersonal.some((v) => v.includes('payroll group')), 'the simulator put messages in');
    assert.deepEqual(sim.personalValues().filter((v) => text.includes(v)), []);
  });
});

test('atlassian-organization: directory users\' account ids are reversible tokens, emails tokens, names gone', async () => {
  await withConnectorProxy(ATLASSIAN_ORGANIZATION, async ({ call }) => {
    const [user] = (JSON.parse((await call('Get users in a directory')).text) as Json).data as Json[];
    assert.match(user.accountId, /^p~/);
    assert.match(user.email, /^t~.*@/);
    assert.equal(user.name, undefined);
    assert.equal(user.nickname, undefined);
  });
});

test('gdrive: owners\', modifiers\' and sharees\' emails and permission ids are tokens that still join; file names and descriptions are gone', async () => {
  await withConnectorProxy(GDRIVE, async ({ sim, call }) => {
    const { status, text } = await call('Files: get');
    assert.equal(status, 200);
    const file = JSON.parse(text) as Json;
    assert.match(file.owners[0].emailAddress, /^t~.*@/);
    assert.match(file.lastModifyingUser.permissionId, /^t~/);
    assert.equal(file.permissions[1].id, file.lastModifyingUser.permissionId, 'a permission\'s id joins its user\'s permissionId');
    assert.deepEqual(file.permissionIds, file.permissions.map((p: Json) => p.id));
    for (const field of ['name', 'originalFilename', 'description', 'webViewLink']) assert.equal(file[field], undefined, field);
    assert.equal(file.owners[0].displayName, undefined);
    assert.ok(sim.org.extraPersonal.some((v) => v.endsWith('.docx')), 'the simulator put file names in');
    assert.deepEqual(sim.personalValues().filter((v) => text.includes(v)), []);
  });
});
