/** The Atlassian connectors: Jira Cloud and Confluence Cloud (OAuth 2.0 3LO app, rotating refresh tokens), Jira Server / Data Center (personal access token) and the organization admin API (API key). */
import type { Connector } from '../catalogue/connector.ts';
import { person, type FakeOrg, type FakePerson, personalText } from '../catalogue/fake-org.ts';
import { JIRA_CLOUD_RULES_YAML } from './jira-cloud-rules.ts';
import { JIRA_SERVER_RULES_YAML } from './jira-server-rules.ts';
import { CONFLUENCE_CLOUD } from './confluence.ts';
import { ATLASSIAN_ORGANIZATION } from './organization.ts';
import { ATLASSIAN_CLOUD_SECRETS, ATLASSIAN_CLOUD_SETTINGS, CLOUD_ID, SITE, accessibleResourcesExample, accountId, atlassianAppSetup, avatars } from './cloud.ts';

const ISSUE_ID = '10042';

/** Server user keys look like `JIRAUSER10000`. */
const serverKey = (org: FakeOrg, p: FakePerson) => `JIRAUSER${10000 + org.people.indexOf(p)}`;

const cloudUser = (p: FakePerson) => ({
  self: `${SITE}/rest/api/3/user?accountId=${accountId(p)}`, accountId: accountId(p), accountType: 'atlassian', emailAddress: p.email,
  avatarUrls: avatars(p), displayName: p.displayName, active: true, timeZone: 'Europe/Lisbon',
});
const serverUser = (org: FakeOrg, p: FakePerson) => ({
  self: `https://jira.${org.domain}/rest/api/2/user?username=${p.email.split('@')[0]}`, key: serverKey(org, p), name: p.email.split('@')[0],
  emailAddress: p.email, avatarUrls: avatars(p), displayName: p.displayName, active: true, timeZone: 'Europe/Lisbon',
});

/** Atlassian Document Format: a paragraph mentioning someone. */
const adf = (org: FakeOrg, p: FakePerson, text: string) => ({
  type: 'doc', version: 1,
  content: [{ type: 'paragraph', content: [{ type: 'mention', attrs: { id: accountId(p), text: `@${p.displayName}`, accessLevel: '' } }, { type: 'text', text: personalText(org, text) }] }],
});

/** An issue's fields, with people shaped by `user` and the comment body in the deployment's format. */
function issueFields(org: FakeOrg, user: (p: FakePerson) => object, body: (p: FakePerson, text: string) => unknown) {
  const [assignee, reporter, commenter] = [org.pick(org.people), org.pick(org.people), org.pick(org.people)];
  return {
    summary: personalText(org, `Laptop for ${assignee.displayName}'s new starter`),
    description: body(reporter, ` please ship to ${reporter.phone}`),
    issuetype: { self: `${SITE}/rest/api/3/issuetype/10001`, id: '10001', name: 'Task', subtask: false, hierarchyLevel: 0, iconUrl: `${SITE}/images/icons/task.svg` },
    project: { self: `${SITE}/rest/api/3/project/10000`, id: '10000', key: 'IT', name: 'IT Helpdesk', projectTypeKey: 'service_desk', simplified: false },
    status: { id: '3', name: 'In Progress', statusCategory: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' } },
    assignee: user(assignee), reporter: user(reporter), creator: user(reporter),
    created: '2026-09-01T09:00:00.000+0100', updated: '2026-09-03T17:30:00.000+0100', duedate: '2026-09-10',
    watches: { watchCount: 2, isWatching: false, watchers: [user(commenter), user(assignee)] },
    comment: { comments: [{ id: '20001', author: user(commenter), body: body(assignee, ' can you confirm the model?'), created: '2026-09-02T10:00:00.000+0100' }], total: 1 },
    timespent: 3600,
  };
}

function cloudComment(org: FakeOrg) {
  const [author, mentioned] = [org.pick(org.people), org.pick(org.people)];
  return { self: `${SITE}/rest/api/3/issue/${ISSUE_ID}/comment/20001`, id: '20001', author: cloudUser(author), updateAuthor: cloudUser(author),
    body: adf(org, mentioned, ` the charger is missing, ask ${author.firstName} ${author.lastName}`), created: org.isoTime(), updated: org.isoTime(), jsdPublic: true };
}

function cloudWorklog(org: FakeOrg) {
  const author = org.pick(org.people);
  return { self: `${SITE}/rest/api/3/issue/${ISSUE_ID}/worklog/30001`, id: '30001', issueId: ISSUE_ID, author: cloudUser(author), updateAuthor: cloudUser(author),
    comment: adf(org, author, ' set up the laptop and accounts'), started: org.isoTime(), created: org.isoTime(), updated: org.isoTime(), timeSpent: '1h', timeSpentSeconds: 3600 };
}

export const JIRA_CLOUD: Connector = {
  id: 'jira-cloud',
  name: 'Jira Cloud',
  family: 'atlassian',
  settings: { ...ATLASSIAN_CLOUD_SETTINGS },
  secrets: ATLASSIAN_CLOUD_SECRETS,
  sensitive: ATLASSIAN_CLOUD_SECRETS, // every stored value: psoxy flags CLIENT_ID sensitive too
  setup: atlassianAppSetup({
    permissions: [
      'Authorization add a callback URL (`http://localhost` will do); under Permissions add Jira API with the classic scopes `read:jira-user` and',
      '`read:jira-work` and the granular scopes `read:group:jira`, `read:avatar:jira` and `read:user:jira`, and User Identity API with `read:account`.',
    ],
    scopes: ['read:group:jira', 'read:avatar:jira', 'read:user:jira', 'read:account', 'read:jira-user', 'read:jira-work'],
    admin: 'A Jira admin',
  }),
  caveats: 'Any Jira Cloud plan (Free included); the authorizing user must be a Jira admin to list all users and groups, and emails are visible only where users\' profile visibility or the org\'s managed accounts allow. Atlassian rotating refresh tokens expire after 90 days unused.',
  sanitizes: 'Account ids, emails and mentioned account ids become tokens; display names, avatars, issue summaries, descriptions, comment and worklog texts, changed values and attachment names are redacted; issues keep only ids, types, statuses, dates, estimates and the people involved.',
  rules: { '': JIRA_CLOUD_RULES_YAML },
  conformance: { '': 'atlassian/jira-cloud' },
  examples: [
    accessibleResourcesExample(['read:jira-work', 'read:jira-user']),
    { name: 'Get all users', path: `/ex/jira/${CLOUD_ID}/rest/api/3/users?maxResults=50`, response: (org) => org.people.map(cloudUser) },
    { name: 'Bulk get groups', path: `/ex/jira/${CLOUD_ID}/rest/api/3/group/bulk?maxResults=50`,
      response: (org) => ({ isLast: true, maxResults: 50, startAt: 0, total: 1, values: [{ groupId: '276f955c-63d7-42c8-9520-92d01dca0625', name: personalText(org, `${person(org, 1).displayName} reports`) }] }) },
    { name: 'Get users from group', path: `/ex/jira/${CLOUD_ID}/rest/api/3/group/member?groupId=276f955c-63d7-42c8-9520-92d01dca0625`,
      response: (org) => ({ isLast: true, maxResults: 50, startAt: 0, total: org.people.length, values: org.people.map(cloudUser) }) },
    { name: 'Search for issues using JQL (enhanced search)', path: `/ex/jira/${CLOUD_ID}/rest/api/3/search/jql?jql=updated%3E%3D-7d&maxResults=25&fields=*all`,
      response: (org) => ({ issues: [{ id: ISSUE_ID, key: 'IT-42', self: `${SITE}/rest/api/3/issue/${ISSUE_ID}`, fields: issueFields(org, cloudUser, (p, t) => adf(org, p, t)) }], isLast: true }) },
    { name: 'Get issue', path: `/ex/jira/${CLOUD_ID}/rest/api/3/issue/${ISSUE_ID}`,
      response: (org) => ({ id: ISSUE_ID, key: 'IT-42', self: `${SITE}/rest/api/3/issue/${ISSUE_ID}`, fields: issueFields(org, cloudUser, (p, t) => adf(org, p, t)) }) },
    { name: 'Get changelogs', path: `/ex/jira/${CLOUD_ID}/rest/api/3/issue/${ISSUE_ID}/changelog?maxResults=25`,
      response: (org) => {
        const [author, from, to] = [org.pick(org.people), org.pick(org.people), org.pick(org.people)];
        return { isLast: true, maxResults: 25, startAt: 0, total: 1, values: [{ id: '40001', author: cloudUser(author), created: org.isoTime(),
          items: [{ field: 'assignee', fieldtype: 'jira', fieldId: 'assignee', from: accountId(from), fromString: from.displayName, to: accountId(to), toString: to.displayName,
            tmpFromAccountId: accountId(from), tmpToAccountId: accountId(to) }] }] };
      } },
    { name: 'Get comments', path: `/ex/jira/${CLOUD_ID}/rest/api/3/issue/${ISSUE_ID}/comment?maxResults=25`,
      response: (org) => ({ startAt: 0, maxResults: 25, total: 1, comments: [cloudComment(org)] }) },
    { name: 'Get issue worklogs', path: `/ex/jira/${CLOUD_ID}/rest/api/3/issue/${ISSUE_ID}/worklog?maxResults=25`,
      response: (org) => ({ startAt: 0, maxResults: 25, total: 1, worklogs: [cloudWorklog(org)] }) },
    { name: 'Get projects paginated', path: `/ex/jira/${CLOUD_ID}/rest/api/3/project/search?maxResults=25`,
      response: (org) => {
        const lead = org.pick(org.people);
        return { isLast: true, maxResults: 25, startAt: 0, total: 1, values: [{ self: `${SITE}/rest/api/3/project/10000`, id: '10000', key: 'IT', name: 'IT Helpdesk',
          description: personalText(org, `Run by ${lead.displayName}`), lead: cloudUser(lead), avatarUrls: avatars(lead), projectTypeKey: 'service_desk', simplified: false, style: 'classic' }] };
      } },
  ],
};

export const JIRA_SERVER: Connector = {
  id: 'jira-server',
  name: 'Jira Server / Data Center',
  family: 'atlassian',
  settings: { TARGET_HOST: 'jira.YOUR-COMPANY.com', SOURCE_AUTH_STRATEGY_IDENTIFIER: 'oauth2_access_token' },
  secrets: ['ACCESS_TOKEN'],
  sensitive: ['ACCESS_TOKEN'],
  setup: [
    'Set `TARGET_HOST` to your Jira\'s host. Create a dedicated Jira user for the connection (e.g. `svc-worklytics`) with browse access to',
    'every project to analyse and the *Browse users and groups* global permission, and as that user create a',
    '[personal access token](https://confluence.atlassian.com/enterprise/using-personal-access-tokens-1026032365.html) (Profile → Personal',
    'Access Tokens). Fill `ACCESS_TOKEN` with it; if you give it an expiry date, replace it before then.',
  ].join('\n'),
  caveats: 'Personal access tokens need Jira Server or Data Center 8.14 or later. Atlassian ended Server support in February 2024; Data Center is the supported self-managed edition.',
  sanitizes: 'User keys and emails become tokens (in search results every `key`, issue keys included); display names, usernames, avatars, summaries, descriptions, comment bodies, changed values and attachment names are redacted; issues keep only ids, types, statuses, dates, estimates and the people involved.',
  rules: { '': JIRA_SERVER_RULES_YAML },
  conformance: { '': 'atlassian/jira-server' },
  examples: [
    { name: 'Search for issues using JQL', path: '/rest/api/2/search?maxResults=25&jql=updated%3E%3D-7d',
      response: (org) => ({ startAt: 0, maxResults: 25, total: 1, issues: [{ id: ISSUE_ID, key: 'IT-42', self: `https://jira.${org.domain}/rest/api/2/issue/${ISSUE_ID}`,
        fields: issueFields(org, (p) => serverUser(org, p), (p, t) => personalText(org, `[~${p.email.split('@')[0]}]${t}`)) }] }) },
    { name: 'Get issue', path: `/rest/api/2/issue/${ISSUE_ID}`,
      response: (org) => ({ id: ISSUE_ID, key: 'IT-42', self: `https://jira.${org.domain}/rest/api/2/issue/${ISSUE_ID}`,
        fields: issueFields(org, (p) => serverUser(org, p), (p, t) => personalText(org, `[~${p.email.split('@')[0]}]${t}`)) }) },
    { name: 'Get comments', path: `/rest/api/2/issue/${ISSUE_ID}/comment?maxResults=25`,
      response: (org) => {
        const [author, mentioned] = [org.pick(org.people), org.pick(org.people)];
        return { startAt: 0, maxResults: 25, total: 1, comments: [{ id: '20001', author: serverUser(org, author), updateAuthor: serverUser(org, author),
          body: personalText(org, `[~${mentioned.email.split('@')[0]}] ${mentioned.displayName} has the spare charger`), created: org.isoTime(), updated: org.isoTime() }] };
      } },
    { name: 'Get issue worklogs', path: `/rest/api/2/issue/${ISSUE_ID}/worklog?maxResults=25`,
      response: (org) => {
        const author = org.pick(org.people);
        return { startAt: 0, maxResults: 25, total: 1, worklogs: [{ id: '30001', issueId: ISSUE_ID, author: serverUser(org, author), updateAuthor: serverUser(org, author),
          comment: personalText(org, `Imaged the laptop for ${author.displayName}`), started: org.isoTime(), timeSpent: '1h', timeSpentSeconds: 3600 }] };
      } },
    { name: 'Find users', path: '/rest/api/2/user/search?username=.&maxResults=50', response: (org) => org.people.map((p) => serverUser(org, p)) },
  ],
};

export const ATLASSIAN_CONNECTORS: readonly Connector[] = [JIRA_CLOUD, JIRA_SERVER, CONFLUENCE_CLOUD, ATLASSIAN_ORGANIZATION];
