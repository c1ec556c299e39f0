/**
 * Microsoft OneDrive (`msft-onedrive`): users' and groups' drives, each drive's changes
 * (`root/delta`) and item activities, with the directory to enumerate whose drives to read.
 * A response schema keeps ids, times, sizes, MIME types and who acted; file and folder names,
 * web URLs, paths and people's names never pass. Beyond psoxy's schema: a rename's `oldName` (a
 * file name) is dropped, and every identity's email is pseudonymized, not only `user.email`.
 */
import type { Connector } from '../catalogue/connector.ts';
import type { FakeOrg, FakePerson } from '../catalogue/fake-org.ts';
import { schema } from '../catalogue/response-schema.ts';
import { directoryEndpoints, userSegment, type DirectoryFlags } from './directory.ts';
import { EXAMPLE_USER_ID, GRAPH_SECRETS, GRAPH_SENSITIVE, GRAPH_SETTINGS, graphSetup, guid, odataContext } from './common.ts';
import { DIRECTORY_EXAMPLES } from './entra-id.ts';
import { IDENTITY_DEFINITIONS, graphPage, pseudonymize, rulesYaml, type GraphEndpoint } from './graph-yaml.ts';

const WHO = '#IdentitySet' as const;
const TIMES = { createdDateTime: 's', lastModifiedDateTime: 's' } as const;

const DEFINITIONS: Record<string, object> = {
  ...IDENTITY_DEFINITIONS,
  Drive: schema({ ...TIMES, createdBy: WHO, driveType: 's', id: 's', lastModifiedBy: WHO, system: {} }),
  DriveItem: schema({
    ...TIMES, createdBy: WHO, lastModifiedBy: WHO, id: 's', size: 'i', deleted: {}, root: {}, malware: {},
    file: { mimeType: 's' }, folder: { childCount: 'i' }, package: { type: 's' }, specialFolder: { name: 's' },
    fileSystemInfo: TIMES,
    parentReference: { driveId: 's', driveType: 's', id: 's', siteId: 's' },
    remoteItem: { ...TIMES, createdBy: WHO, lastModifiedBy: WHO, id: 's', size: 'i', file: { mimeType: 's' }, folder: { childCount: 'i' } },
    shared: { owner: WHO, sharedBy: WHO, sharedDateTime: 's' },
    sharepointIds: { listId: 's', listItemId: 's', listItemUniqueId: 's', siteId: 's', webId: 's' },
  }),
  ItemActivity: schema({
    id: 's', actor: WHO, driveItem: '#DriveItem', listItem: { id: 's' },
    action: {
      access: {}, create: {}, delete: {}, edit: {}, move: {}, rename: {}, restore: {},
      comment: { isReply: 'b', parentAuthor: WHO, participants: [WHO] },
      mention: { mentionees: [WHO] }, share: { recipients: [WHO] }, version: { newVersion: 's' },
    },
    times: { observedDateTime: 's', recordedDateTime: 's' },
  }),
};

const DRIVE_PARAMS = ['$select', '$skiptoken', '$top', '$orderby', '$expand'];
const ACTIVITY_PARAMS = ['$expand', '$skiptoken'];

export function msftOnedriveRules(f: Pick<DirectoryFlags, 'appIds'>): string {
  // Who: every identity's email; with `_no-app-ids` also user ids (one-way, as group members' are).
  const people = [pseudonymize(['$..email']), ...(f.appIds ? [] : [pseudonymize(['$..user.id', '$..guest.id'])])];
  const endpoint = (about: string, path: string, params: string[], item: string): GraphEndpoint =>
    ({ about, pathRegex: `^/v1\\.0/${path}(?:\\?.*)?$`, params, transforms: people, responseSchema: graphPage(item) });
  return rulesYaml([
    ...directoryEndpoints({ appIds: f.appIds, groups: true }),
    endpoint('A user\'s drives.', `users/${userSegment(f)}/drives`, DRIVE_PARAMS, 'Drive'),
    endpoint('A group\'s drives (its SharePoint document libraries).', 'groups/[^/?]+/drives', DRIVE_PARAMS, 'Drive'),
    endpoint('Changes to a drive\'s files and folders.', 'drives/[^/?]+/root/delta', ['token', '$select', '$expand', '$top'], 'DriveItem'),
    endpoint('Recent activity on one file.', 'drives/[^/?]+/items/[^/?]+/activities', ACTIVITY_PARAMS, 'ItemActivity'),
    endpoint('Recent activity across a drive.', 'drives/[^/?]+/activities', ACTIVITY_PARAMS, 'ItemActivity'),
  ], DEFINITIONS);
}

const DRIVE_ID = 'b!-RIj2DuyvEyV1T4NlOaMHk8XkS_I8MdFlUCq1BlcjgmhRfAj3-Z8RY2VpuvV_tpd';
const ITEM_ID = '01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K';
const GROUP_ID = '02bd9fd6-8f93-4758-87c3-1fb73740a315';

/** Graph's identitySet for a user, with name and address as OneDrive returns them. */
const who = (org: FakeOrg, p: FakePerson) => ({ user: { email: p.email, id: guid(org), displayName: p.displayName } });

/** A file name the leak test looks for. */
function fileName(org: FakeOrg, owner: FakePerson): string {
  const name = `${owner.lastName} performance review ${org.int(2024, 2026)}.docx`;
  org.extraPersonal.push(name);
  return name;
}

function drives(org: FakeOrg) {
  const owner = org.pick(org.people);
  return {
    '@odata.context': odataContext('drives'),
    value: [{
      id: DRIVE_ID, driveType: 'business', name: 'OneDrive', description: '', createdDateTime: org.isoTime(800), lastModifiedDateTime: org.isoTime(2),
      webUrl: `https://example-my.sharepoint.com/personal/${owner.email.replace(/[@.]/g, '_')}/Documents`,
      createdBy: { user: { displayName: 'System Account' } }, lastModifiedBy: who(org, owner), owner: who(org, owner),
      quota: { deleted: 0, remaining: 1099511627776, state: 'normal', total: 1099511627776, used: org.int(1000, 99999999) },
    }],
  };
}

function driveItem(org: FakeOrg) {
  const [owner, editor] = [org.pick(org.people), org.pick(org.people)];
  const name = fileName(org, owner);
  return {
    '@odata.type': '#microsoft.graph.driveItem', id: org.chars(34, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), name, size: org.int(1000, 900000),
    createdDateTime: org.isoTime(90), lastModifiedDateTime: org.isoTime(3), eTag: `"{${guid(org)},2}"`, cTag: `"c:{${guid(org)}},3"`,
    webUrl: `https://example-my.sharepoint.com/personal/${owner.email.replace(/[@.]/g, '_')}/Documents/${encodeURIComponent(name)}`,
    createdBy: who(org, owner), lastModifiedBy: who(org, editor),
    parentReference: { driveType: 'business', driveId: DRIVE_ID, id: org.chars(34, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), name: 'Reviews', path: `/drive/root:/HR/${owner.lastName}` },
    file: { mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', hashes: { quickXorHash: org.chars(27) + '=' } },
    fileSystemInfo: { createdDateTime: org.isoTime(90), lastModifiedDateTime: org.isoTime(3) },
    shared: { scope: 'users', owner: who(org, owner), sharedBy: who(org, owner), sharedDateTime: org.isoTime(20) },
  };
}

function delta(org: FakeOrg) {
  return {
    '@odata.context': odataContext('Collection(driveItem)'),
    '@odata.deltaLink': `https://graph.microsoft.com/v1.0/drives/${DRIVE_ID}/root/delta?token=${org.chars(40)}`,
    value: [driveItem(org), driveItem(org)],
  };
}

function activities(org: FakeOrg) {
  const [actor, mentioned, recipient] = [org.pick(org.people), org.pick(org.people), org.pick(org.people)];
  const item = driveItem(org);
  const activity = (action: object) => ({ id: org.chars(24), action, actor: who(org, actor), driveItem: item, times: { recordedDateTime: org.isoTime(5) } });
  return {
    '@odata.context': odataContext('Collection(itemActivity)'),
    value: [
      activity({ edit: {}, version: { newVersion: '2.0' } }),
      activity({ rename: { oldName: fileName(org, actor) } }),
      activity({ comment: { isReply: false, parentAuthor: who(org, actor), participants: [who(org, mentioned)] }, mention: { mentionees: [who(org, mentioned)] } }),
      activity({ share: { recipients: [who(org, recipient)] } }),
    ],
  };
}

const [listUsers, , listGroups] = DIRECTORY_EXAMPLES;

export const MSFT_ONEDRIVE: Connector = {
  id: 'msft-onedrive',
  name: 'Microsoft OneDrive',
  family: 'microsoft-365',
  settings: GRAPH_SETTINGS,
  secrets: GRAPH_SECRETS,
  sensitive: GRAPH_SENSITIVE,
  setup: graphSetup(['User.Read.All', 'Group.Read.All', 'Files.Read.All']),
  caveats: 'OneDrive for Business and SharePoint Online (a Microsoft 365 plan with them); psoxy marks the connector beta. `Files.Read.All` as an application permission reads every drive in the tenant. SharePoint site drives (`/v1.0/sites/…`) are not covered, as in psoxy.',
  sanitizes: 'Drives, changed files and activities keep only ids, times, sizes, MIME types, folder child counts and who acted, created, modified, shared, commented, was mentioned or received a share; their emails become pseudonyms and names go, as do file names (a rename\'s old name too), paths and web URLs. Users and groups as in `msft-entra-id`. `_no-app-ids` also pseudonymizes user ids (reversibly in the users list, so `/v1.0/users/p~…/drives` works).',
  rules: { '': msftOnedriveRules({ appIds: true }), '_no-app-ids': msftOnedriveRules({ appIds: false }) },
  examples: [
    listUsers,
    listGroups,
    { name: 'List a user\'s drives', path: `/v1.0/users/${EXAMPLE_USER_ID}/drives`, response: drives },
    { name: 'List a group\'s drives', path: `/v1.0/groups/${GROUP_ID}/drives`, response: drives },
    { name: 'Track changes in a drive', path: `/v1.0/drives/${DRIVE_ID}/root/delta`, response: delta },
    { name: 'List activities on a file', path: `/v1.0/drives/${DRIVE_ID}/items/${ITEM_ID}/activities`, response: activities },
    { name: 'List activities in a drive', path: `/v1.0/drives/${DRIVE_ID}/activities`, response: activities },
  ],
  conformance: {},
};
