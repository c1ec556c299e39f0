// msft-onedrive and msft-copilot through the proxy to the simulator: who acted comes out as a
// token, file names, prompts and answers do not come out at all (src/sources/microsoft-365/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withConnectorProxy } from './helpers/catalogue-proxy.ts';
import { builtInRulesYaml } from '../src/sources/index.ts';
import { MSFT_ONEDRIVE } from '../src/sources/microsoft-365/msft-onedrive.ts';
import { MSFT_COPILOT } from '../src/sources/microsoft-365/msft-copilot.ts';
import { EXAMPLE_USER_ID } from '../src/sources/microsoft-365/common.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

test('msft-onedrive: an activity\'s actor and share recipient come out as tokens; file names (a rename\'s old name too) and web URLs do not', async () => {
  await withConnectorProxy(MSFT_ONEDRIVE, async ({ sim, call }) => {
    const { status, text } = await call('List activities in a drive');
    assert.equal(status, 200);
    const [edit, rename, , share] = (JSON.parse(text) as Json).value as Json[];
    assert.match(edit.actor.user.email, /^t~/);
    assert.match(share.action.share.recipients[0].user.email, /^t~/);
    assert.deepEqual(rename.action.rename, {});
    assert.equal(edit.driveItem.name, undefined);
    assert.equal(edit.driveItem.webUrl, undefined);
    assert.ok(sim.org.extraPersonal.some((v) => v.endsWith('.docx')), 'the simulator put file names in');
    assert.deepEqual(sim.personalValues().filter((v) => text.includes(v)), []);
  });
});

const interactionsPath = (user: string) => `/beta/copilot/users/${user}/interactionHistory/getAllEnterpriseInteractions`;

test('msft-copilot: a mentioned person\'s email is a token; prompt, answer card and linked file leave only a digest', async () => {
  await withConnectorProxy(MSFT_COPILOT, async ({ sim, get }) => {
    const { status, text } = await get(interactionsPath(EXAMPLE_USER_ID));
    assert.equal(status, 200);
    const [prompt, answer] = (JSON.parse(text) as Json).value as Json[];
    assert.match(prompt.mentions[0].mentioned.user.email, /^t~/);
    assert.equal(prompt.body.content, undefined);
    assert.deepEqual(prompt.body['+content:textDigest'].keywords, { summarize: 1 });
    assert.equal(answer.attachments[0].content, undefined);
    assert.equal(typeof answer.attachments[0]['+content:textDigest'].word_count, 'number');
    assert.deepEqual(answer.links, [{ linkType: 'File' }]);
    assert.deepEqual(sim.personalValues().filter((v) => text.includes(v)), []);
  });
});

test('msft-copilot_no-userIds: users\' ids come out as p~ tokens, a raw id in the path is refused and a token reaches Graph decoded', async () => {
  await withConnectorProxy(MSFT_COPILOT, async ({ sim, get }) => {
    const users = JSON.parse((await get('/v1.0/users')).text) as Json;
    const token = users.value[0].id as string;
    assert.match(token, /^p~/);
    assert.equal((await get(interactionsPath(EXAMPLE_USER_ID))).status, 403);
    // The simulator knows only the example's user: another user's call reaches it and gets its 404.
    assert.equal((await get(interactionsPath(token))).status, 404);
    const sent = sim.calls.at(-1)!.path;
    assert.match(sent, /^\/beta\/copilot\/users\/[0-9a-f-]{36}\/interactionHistory/);
  }, { RULES: builtInRulesYaml('msft-copilot_no-userIds')! });
});
