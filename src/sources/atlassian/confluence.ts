/**
 * Confluence Cloud (psoxy `SOURCE=confluence-cloud`): spaces, tasks, the versions of pages, blog
 * posts, comments and attachments (v2 REST API), content search and groups (v1), through
 * `api.atlassian.com/ex/confluence/{cloudId}` with the same 3LO app auth as Jira Cloud. Responses
 * shaped after Atlassian's Confluence Cloud REST API v1 and v2 references.
 */
import type { Connector, ExampleCall } from '../catalogue/connector.ts';
import { person, personalText, type FakeOrg, type FakePerson } from '../catalogue/fake-org.ts';
import { CONFLUENCE_CLOUD_RULES_YAML } from './confluence-rules.ts';
import { ATLASSIAN_CLOUD_SECRETS, ATLASSIAN_CLOUD_SETTINGS, CLOUD_ID, SITE, accessibleResourcesExample, accountId, atlassianAppSetup } from './cloud.ts';

const BASE = `/ex/confluence/${CLOUD_ID}/wiki`;
const PAGE_ID = '393217';
const GROUP_ID = '5b0c5b7a-4b0d-4a7d-9f4e-6f7c1f1a2b3c';
const SCOPES = [
  'read:page:confluence', 'read:blogpost:confluence', 'read:comment:confluence', 'read:attachment:confluence', 'read:space:confluence',
  'read:task:confluence', 'read:group:confluence', 'read:user:confluence', 'read:content-details:confluence',
];

/** A v1 user, as content search and group members carry it. */
const confluenceUser = (p: FakePerson) => ({
  type: 'known', accountId: accountId(p), accountType: 'atlassian', email: p.email, publicName: p.displayName, displayName: p.displayName,
  profilePicture: { path: `/wiki/aa-avatar/${accountId(p)}`, width: 48, height: 48, isDefault: false }, isExternalCollaborator: false,
  _links: { self: `${SITE}/wiki/rest/api/user?accountId=${accountId(p)}` },
});

const v2Links = (org: FakeOrg, path: string) => ({ next: `/wiki/api/v2/${path}?cursor=${org.chars(24)}`, base: `${SITE}/wiki` });

/** One version of a page, blog post, comment or attachment (v2 `…/{id}/versions`). */
function versions(org: FakeOrg, kind: string, what: string) {
  const [author, mentioned] = [org.pick(org.people), org.pick(org.people)];
  return {
    results: [{
      number: 3, authorId: accountId(author), minorEdit: false, createdAt: org.isoTime(),
      message: personalText(org, `Added ${mentioned.displayName}'s notes`),
      [kind]: { id: PAGE_ID, title: personalText(org, `${mentioned.lastName} ${what}`) },
    }],
    _links: v2Links(org, `pages/${PAGE_ID}/versions`),
  };
}

const versionCall = (name: string, segment: string, kind: string, what: string): ExampleCall =>
  ({ name, path: `${BASE}/api/v2/${segment}/${PAGE_ID}/versions?limit=25`, response: (org) => versions(org, kind, what) });

export const CONFLUENCE_CLOUD: Connector = {
  id: 'confluence-cloud',
  name: 'Confluence Cloud',
  family: 'atlassian',
  settings: { ...ATLASSIAN_CLOUD_SETTINGS },
  secrets: ATLASSIAN_CLOUD_SECRETS,
  sensitive: ATLASSIAN_CLOUD_SECRETS, // every stored value: psoxy flags CLIENT_ID sensitive too
  setup: atlassianAppSetup({
    permissions: [
      'Authorization add a callback URL (`http://localhost` will do); under Permissions add Confluence API and, under its granular scopes, add',
      `${SCOPES.map((s) => `\`${s}\``).join(', ')}.`,
    ],
    scopes: SCOPES,
    admin: 'A Confluence admin',
  }),
  caveats: 'Any Confluence Cloud plan (Free included); the authorizing user sees only the spaces and content their own permissions allow, so use an admin with access to every space to analyse. Emails are visible only where users\' profile visibility or the org\'s managed accounts allow. Atlassian rotating refresh tokens expire after 90 days unused.',
  sanitizes: 'Account ids and emails (authors, creators, task assignees and completers, group members) and personal spaces\' keys become tokens; display names, avatars, titles, version messages, bodies, space names and descriptions, group names and site links are dropped; content keeps only ids, types, statuses, version numbers and times.',
  rules: { '': CONFLUENCE_CLOUD_RULES_YAML },
  conformance: {},
  // psoxy's connector list names it `confluence`.
  aliases: ['confluence'],
  examples: [
    accessibleResourcesExample(SCOPES),
    { name: 'Get spaces', path: `${BASE}/api/v2/spaces?limit=25`,
      response: (org) => {
        const [owner, other] = [person(org, 1), person(org, 2)];
        return { results: [
          { id: '98306', key: 'IT', name: 'IT Helpdesk', type: 'global', status: 'current', authorId: accountId(owner), spaceOwnerId: accountId(owner), createdAt: org.isoTime(), homepageId: '98310',
            description: { plain: { value: personalText(org, `Run by ${owner.displayName}`), representation: 'plain' } }, _links: { webui: '/spaces/IT' } },
          { id: '98307', key: `~${accountId(other)}`, name: personalText(org, `${other.displayName}'s space`), type: 'personal', status: 'current', authorId: accountId(other),
            spaceOwnerId: accountId(other), createdAt: org.isoTime(), homepageId: '98311', _links: { webui: `/spaces/~${accountId(other)}` } },
        ], _links: v2Links(org, 'spaces') };
      } },
    versionCall('Get page versions', 'pages', 'page', 'onboarding checklist'),
    versionCall('Get blog post versions', 'blogposts', 'blogpost', 'farewell post'),
    versionCall('Get footer comment versions', 'footer-comments', 'comment', 'review comment'),
    versionCall('Get inline comment versions', 'inline-comments', 'comment', 'inline remark'),
    versionCall('Get attachment versions', 'attachments', 'attachment', 'passport scan.pdf'),
    { name: 'Get tasks', path: `${BASE}/api/v2/tasks?limit=25`,
      response: (org) => {
        const [creator, assignee] = [org.pick(org.people), org.pick(org.people)];
        return { results: [{ id: '7001', localId: 'a1b2c3', spaceId: '98306', pageId: PAGE_ID, status: 'complete', createdBy: accountId(creator), assignedTo: accountId(assignee),
          completedBy: accountId(assignee), createdAt: org.isoTime(), updatedAt: org.isoTime(), dueAt: org.isoTime(), completedAt: org.isoTime(),
          body: { storage: { value: personalText(org, `<p>Call ${assignee.displayName} on ${assignee.phone}</p>`), representation: 'storage' } } }], _links: v2Links(org, 'tasks') };
      } },
    { name: 'Search content by CQL', path: `${BASE}/rest/api/content/search?cql=lastmodified%3E%3Dnow(%22-7d%22)&limit=25&expand=history,version`,
      response: (org) => {
        const [creator, editor] = [org.pick(org.people), org.pick(org.people)];
        return { results: [{
          id: PAGE_ID, type: 'page', status: 'current', title: personalText(org, `${creator.displayName} 1:1 notes`),
          history: { latest: true, createdBy: confluenceUser(creator), createdDate: org.isoTime() },
          version: { by: confluenceUser(editor), when: org.isoTime(), number: 3, message: personalText(org, `Notes for ${editor.firstName} ${editor.lastName}`), minorEdit: false },
          _links: { webui: `/spaces/IT/pages/${PAGE_ID}`, self: `${SITE}/wiki/rest/api/content/${PAGE_ID}` }, _expandable: { space: '/rest/api/space/IT' },
        }], start: 0, limit: 25, size: 1, _links: { base: `${SITE}/wiki`, context: '/wiki', self: `${SITE}/wiki/rest/api/content/search` } };
      } },
    { name: 'Get groups', path: `${BASE}/rest/api/group?limit=50`,
      response: (org) => ({ results: [{ type: 'group', id: GROUP_ID, name: personalText(org, `${person(org, 3).displayName} reports`), _links: { self: `${SITE}/wiki/rest/api/group/${GROUP_ID}` } }],
        start: 0, limit: 50, size: 1, _links: { base: `${SITE}/wiki`, context: '/wiki' } }) },
    { name: 'Get group members by group id', path: `${BASE}/rest/api/group/${GROUP_ID}/membersByGroupId?limit=50`,
      response: (org) => ({ results: org.people.map(confluenceUser), start: 0, limit: 50, size: org.people.length, _links: { base: `${SITE}/wiki`, context: '/wiki' } }) },
  ],
};
