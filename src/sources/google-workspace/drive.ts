/**
 * Google Drive (psoxy `SOURCE=gdrive`): the impersonated user's files (Drive API v2 and v3 list,
 * v3 get), and each file's permissions and revisions, with `drive.metadata.readonly`, which never
 * gives content. Responses shaped after the Drive API v2 and v3 references.
 *
 * Response schemas keep ids, MIME types, times, sizes, checksums, roles and who owns, shares,
 * modifies or has access; names, titles, descriptions, links, thumbnails and people's names and
 * photos never pass. Beyond psoxy, which keeps them as they are: Drive permission ids (one per
 * person, the same on every file) become tokens like the emails, so the two still join.
 * Drive's activity as an event stream is the Reports API's, psoxy's separate `gdrive-log` SOURCE.
 */
import type { FakeOrg, FakePerson } from '../catalogue/fake-org.ts';
import { person, personalText } from '../catalogue/fake-org.ts';
import { schema, type Shape } from '../catalogue/response-schema.ts';
import { list, pseudonymize } from '../catalogue/rules-yaml.ts';
import { workspaceConnector } from './workspace.ts';

const json = (v: unknown) => JSON.stringify(v);
const FILE_ID = '1mEsoPXCtiloJ1blesaiOCLXbKCvLCFxC';
const LIST_PARAMS = ['pageToken', 'fields', 'q', 'orderBy', 'corpora', 'driveId', 'includeItemsFromAllDrives', 'supportsAllDrives', 'spaces'];

const USER: Shape = { emailAddress: 's', kind: 's', me: 'b', permissionId: 's' };
const PERMISSION: Shape = { allowFileDiscovery: 'b', deleted: 'b', domain: 's', emailAddress: 's', expirationTime: 's', id: 's', kind: 's', pendingOwner: 'b', role: 's', type: 's' };
const FILE: Shape = {
  copyRequiresWriterPermission: 'b', createdTime: 's', driveId: 's', explicitlyTrashed: 'b', fileExtension: 's', fullFileExtension: 's',
  headRevisionId: 's', id: 's', kind: 's', lastModifyingUser: USER, md5Checksum: 's', mimeType: 's', modifiedByMe: 'b', modifiedByMeTime: 's',
  modifiedTime: 's', ownedByMe: 'b', owners: [USER], parents: ['s'], permissionIds: ['s'], permissions: [PERMISSION], quotaBytesUsed: 's',
  shared: 'b', sharedWithMeTime: 's', sharingUser: USER, size: 's', spaces: ['s'], starred: 'b', trashed: 'b', trashedTime: 's',
  trashingUser: USER, version: 's', viewedByMe: 'b', viewedByMeTime: 's', viewersCanCopyContent: 'b', writersCanShare: 'b',
};
const REVISION: Shape = { id: 's', keepForever: 'b', kind: 's', lastModifyingUser: USER, md5Checksum: 's', mimeType: 's', modifiedTime: 's', published: 'b', size: 's' };
/** v2 names the same things differently (`items`, `…Date`, `labels`, `fileSize`). */
const V2_USER: Shape = { emailAddress: 's', isAuthenticatedUser: 'b', kind: 's', permissionId: 's' };
const V2_PERMISSION: Shape = { additionalRoles: ['s'], deleted: 'b', domain: 's', emailAddress: 's', id: 's', kind: 's', pendingOwner: 'b', role: 's', type: 's', withLink: 'b' };
const V2_FILE: Shape = {
  copyable: 'b', createdDate: 's', driveId: 's', editable: 'b', explicitlyTrashed: 'b', fileExtension: 's', fileSize: 's', fullFileExtension: 's',
  headRevisionId: 's', id: 's', kind: 's', labels: { hidden: 'b', restricted: 'b', starred: 'b', trashed: 'b', viewed: 'b' },
  lastModifyingUser: V2_USER, lastViewedByMeDate: 's', markedViewedByMeDate: 's', md5Checksum: 's', mimeType: 's', modifiedByMeDate: 's',
  modifiedDate: 's', owners: [V2_USER], parents: [{ id: 's', isRoot: 'b', kind: 's' }], permissions: [V2_PERMISSION], quotaBytesUsed: 's',
  shared: 'b', sharedWithMeDate: 's', sharingUser: V2_USER, spaces: ['s'], userPermission: V2_PERMISSION, version: 's', writersCanShare: 'b',
};

/** Who: emails and Drive permission ids, wherever they are (owners, modifiers, sharers, permissions). */
const PEOPLE = pseudonymize(['$..emailAddress', '$..permissionId', '$..permissions[*].id', '$..userPermission.id', '$..permissionIds[*]']);

const endpoint = (path: string, params: readonly string[], shape: Shape) => `
  - pathTemplate: ${path}
    allowedQueryParams: ${list(params)}
    transforms:${PEOPLE}
    responseSchema: ${json(schema(shape))}`;

const GDRIVE_RULES_YAML = `
endpoints:${[
  endpoint('/drive/v2/files', ['maxResults', ...LIST_PARAMS], { items: [V2_FILE], kind: 's', nextPageToken: 's', incompleteSearch: 'b' }),
  endpoint('/drive/v3/files', ['pageSize', ...LIST_PARAMS], { files: [FILE], kind: 's', nextPageToken: 's', incompleteSearch: 'b' }),
  endpoint('/drive/v3/files/{fileId}', ['fields', 'supportsAllDrives'], FILE),
  endpoint('/drive/v3/files/{fileId}/permissions', ['pageSize', 'pageToken', 'fields', 'supportsAllDrives'], { kind: 's', nextPageToken: 's', permissions: [PERMISSION] }),
  endpoint('/drive/v3/files/{fileId}/revisions', ['pageSize', 'pageToken', 'fields'], { kind: 's', nextPageToken: 's', revisions: [REVISION] }),
].join('')}
`;

/** Drive's permission id for a person: 20 digits, the same on every file. */
const permissionId = (org: FakeOrg, p: FakePerson) => String(10000000000000000000n + BigInt(org.people.indexOf(p) + 1) * 104729n);
const user = (org: FakeOrg, p: FakePerson) => ({ kind: 'drive#user', displayName: p.displayName, photoLink: `https://lh3.googleusercontent.com/a/${p.id}=s64`, me: false, permissionId: permissionId(org, p), emailAddress: p.email });
const permission = (org: FakeOrg, p: FakePerson, role: string) =>
  ({ kind: 'drive#permission', id: permissionId(org, p), type: 'user', emailAddress: p.email, displayName: p.displayName, photoLink: `https://lh3.googleusercontent.com/a/${p.id}=s64`, role, deleted: false, pendingOwner: false });

/** A v3 file owned by one person, edited by another and shared with a third. */
function file(org: FakeOrg) {
  const [owner, editor, reader] = [person(org, 0), person(org, 1), person(org, 2)];
  return {
    kind: 'drive#file', id: FILE_ID, name: personalText(org, `${editor.lastName} performance review.docx`), mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    description: personalText(org, `Draft for ${editor.displayName}, call ${editor.phone}`), starred: false, trashed: false, explicitlyTrashed: false,
    parents: ['1CtjiFT124rmMDvyddv5IwG57Ya0dNWPH'], spaces: ['drive'], version: '12',
    webViewLink: `https://docs.google.com/document/d/${FILE_ID}/edit`, iconLink: 'https://drive-thirdparty.googleusercontent.com/16/type/application/msword',
    createdTime: org.isoTime(), modifiedTime: org.isoTime(), viewedByMe: false, modifiedByMe: false, ownedByMe: false, shared: true,
    owners: [user(org, owner)], lastModifyingUser: user(org, editor), sharingUser: user(org, owner),
    permissions: [permission(org, owner, 'owner'), permission(org, editor, 'writer'), permission(org, reader, 'reader')],
    permissionIds: [owner, editor, reader].map((p) => permissionId(org, p)),
    originalFilename: personalText(org, `${editor.firstName}_review_final.docx`), fullFileExtension: 'docx', fileExtension: 'docx',
    md5Checksum: '2c3f517e181dd49aa9f97580d3ec1431', size: '48213', quotaBytesUsed: '48213', headRevisionId: '0B5tH2y2v-mBWTklOa1VJeHJwNUQ2dy9uMDg1d0kzV0ZUeHRjPQ',
    writersCanShare: true, viewersCanCopyContent: true, copyRequiresWriterPermission: false,
  };
}

export const GDRIVE = workspaceConnector({
  id: 'gdrive',
  name: 'Google Drive',
  host: 'www.googleapis.com',
  api: 'drive.googleapis.com',
  scopes: ['https://www.googleapis.com/auth/drive.metadata.readonly'],
  impersonates: 'user',
  caveats: 'Any Google Workspace edition. Worklytics reads each user\'s Drive by impersonating them, so only files a user owns or can see are listed, and shared drives only where that user is a member.',
  sanitizes: 'Emails and Drive permission ids of owners, modifiers, sharers and everyone with access become tokens; file names, original file names, titles, descriptions, links, thumbnails, people\'s names and photos are dropped; files, permissions and revisions keep only ids, MIME types, times, sizes, checksums, roles and flags.',
  rules: { '': GDRIVE_RULES_YAML },
  examples: [
    { name: 'Files: list (v2)', path: '/drive/v2/files?maxResults=10', response: (org) => {
      const [owner, editor] = [person(org, 3), person(org, 4)];
      const v2User = (p: FakePerson) => ({ kind: 'drive#user', displayName: p.displayName, isAuthenticatedUser: false, permissionId: permissionId(org, p), emailAddress: p.email });
      return { kind: 'drive#fileList', nextPageToken: org.chars(40), incompleteSearch: false, items: [{
        kind: 'drive#file', id: FILE_ID, title: personalText(org, `Offer letter for ${editor.displayName}`), mimeType: 'application/pdf', labels: { starred: false, hidden: false, trashed: false, restricted: false, viewed: true },
        createdDate: org.isoTime(), modifiedDate: org.isoTime(), parents: [{ kind: 'drive#parentReference', id: '1CtjiFT124rmMDvyddv5IwG57Ya0dNWPH', isRoot: false }],
        ownerNames: [owner.displayName], owners: [v2User(owner)], lastModifyingUserName: editor.displayName, lastModifyingUser: v2User(editor),
        permissions: [{ kind: 'drive#permission', id: permissionId(org, editor), type: 'user', emailAddress: editor.email, name: editor.displayName, role: 'writer' }],
        fileSize: '759602', md5Checksum: '2c3f517e181dd49aa9f97580d3ec1431', shared: true, spaces: ['drive'], version: '2',
      }] };
    } },
    { name: 'Files: list', path: '/drive/v3/files?pageSize=10&fields=*', response: (org) => ({ kind: 'drive#fileList', nextPageToken: org.chars(40), incompleteSearch: false, files: [file(org)] }) },
    { name: 'Files: get', path: `/drive/v3/files/${FILE_ID}?fields=*`, response: file },
    { name: 'Permissions: list', path: `/drive/v3/files/${FILE_ID}/permissions`,
      response: (org) => ({ kind: 'drive#permissionList', permissions: [permission(org, person(org, 0), 'owner'), permission(org, person(org, 2), 'commenter'),
        { kind: 'drive#permission', id: '09876543210987654321', type: 'domain', domain: org.domain, role: 'reader', allowFileDiscovery: false, displayName: 'Example Corp' }] }) },
    { name: 'Revisions: list', path: `/drive/v3/files/${FILE_ID}/revisions`,
      response: (org) => ({ kind: 'drive#revisionList', revisions: org.people.slice(0, 3).map((p, n) => ({
        kind: 'drive#revision', id: `0B5tH2y2v-mBW${n}`, mimeType: 'application/vnd.google-apps.document', modifiedTime: org.isoTime(), keepForever: false, published: false,
        lastModifyingUser: user(org, p), originalFilename: personalText(org, `${p.lastName} notes v${n + 1}.docx`), size: String(org.int(1000, 90000)),
      })) }) },
  ],
});
