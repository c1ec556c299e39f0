/**
 * GitHub connectors: GitHub cloud (`github`, `github-non-enterprise`) and Copilot through a GitHub
 * App's installation token (`certificate_credentials`: the app's JWT buys a one-hour token, shared
 * between instances); Enterprise Server through an app's user token (`refresh_token`).
 */
import type { Connector } from '../catalogue/connector.ts';
import { person, type FakeOrg, type FakePerson, personalText } from '../catalogue/fake-org.ts';
import { GITHUB_COPILOT_RULES_YAML, GITHUB_ENTERPRISE_SERVER_RULES_YAML, GITHUB_RULES_YAML } from './rules.ts';

const ORG = 'acme-corp';
const REPO = 'payroll-service';

const login = (org: FakeOrg, p: FakePerson) => personalText(org, `${p.firstName}-${p.lastName}-gh`.toLowerCase().replace(/[^a-z-]/g, ''));
const userId = (org: FakeOrg, p: FakePerson) => 5000000 + org.people.indexOf(p) * 131;

/** GitHub's "simple user" object, as every REST answer embeds it. */
function account(org: FakeOrg, p: FakePerson) {
  const l = login(org, p);
  return {
    login: l, id: userId(org, p), node_id: `MDQ6VXNlcj${userId(org, p)}`, avatar_url: `https://avatars.githubusercontent.com/u/${userId(org, p)}?v=4`, gravatar_id: '',
    url: `https://api.github.com/users/${l}`, html_url: `https://github.com/${l}`, followers_url: `https://api.github.com/users/${l}/followers`,
    repos_url: `https://api.github.com/users/${l}/repos`, events_url: `https://api.github.com/users/${l}/events{/privacy}`, type: 'User', site_admin: false,
  };
}

const gitActor = (p: FakePerson, date: string) => ({ name: p.displayName, email: p.email, date });

/** The GitHub App flow github.com connectors share: settings, secrets and the app's creation. */
const APP_SETTINGS = {
  TARGET_HOST: 'api.github.com',
  SOURCE_AUTH_STRATEGY_IDENTIFIER: 'oauth2_refresh_token',
  GRANT_TYPE: 'certificate_credentials',
  TOKEN_RESPONSE_TYPE: 'GITHUB_ACCESS_TOKEN',
  // The installation id is the organisation's own: set REFRESH_ENDPOINT with it (health names this placeholder until then).
  REFRESH_ENDPOINT: 'https://api.github.com/app/installations/{INSTALLATION_ID}/access_tokens',
  USE_SHARED_TOKEN: 'true',
};
const APP_SECRETS = ['CLIENT_ID', 'PRIVATE_KEY'];
/** What psoxy keeps in Secrets Manager for a GitHub App connector: its CLIENT_ID too, and the installation token. */
const APP_SENSITIVE = [...APP_SECRETS, 'ACCESS_TOKEN'];
const installApp = (permissions: string) => [
  'Register a [GitHub App](https://docs.github.com/en/apps/creating-github-apps/registering-a-github-app/registering-a-github-app)',
  `owned by the organization (not a person), webhooks off, with these **read-only** permissions: ${permissions}.`,
  'Generate a private key, then install the app on the organization (all repositories). The installation id is the number at',
  'the end of `https://github.com/organizations/<org>/settings/installations/<id>`: set `REFRESH_ENDPOINT` to',
  '`https://api.github.com/app/installations/<id>/access_tokens`. Fill `CLIENT_ID` with the app\'s Client ID and `PRIVATE_KEY`',
  'with the downloaded PEM, then delete the file. Repeat key generation to rotate. An organization IP allow list must admit the proxy.',
].join('\n');

const members = { name: 'List organization members', path: `/orgs/${ORG}/members?per_page=100`, response: (org: FakeOrg) => org.people.map((p) => account(org, p)) };
const teams = { name: 'List teams', path: `/orgs/${ORG}/teams?per_page=100`,
  response: (org: FakeOrg) => [{ id: 7001, node_id: 'MDQ6VGVhbTcwMDE=', name: personalText(org, `${person(org, 0).lastName} payroll squad`), slug: 'payroll-squad',
    description: personalText(org, `Led by ${person(org, 0).displayName}`), privacy: 'closed', permission: 'pull', url: `https://api.github.com/teams/7001`,
    html_url: `https://github.com/orgs/${ORG}/teams/payroll-squad`, members_url: 'https://api.github.com/teams/7001/members{/member}', parent: null }] };
const teamMembers = { name: 'List team members', path: `/orgs/${ORG}/teams/payroll-squad/members`, response: (org: FakeOrg) => org.people.slice(0, 3).map((p) => account(org, p)) };
const graphqlMembers = {
  name: 'GraphQL: organization members with their verified-domain emails', method: 'POST' as const, path: '/graphql',
  body: { query: `query($org: String!) { organization(login: $org) { membersWithRole(first: 100) { pageInfo { hasNextPage endCursor } edges { node { id login email isSiteAdmin organizationVerifiedDomainEmails(login: $org) } } } } }`, variables: { org: ORG } },
  response: (org: FakeOrg) => ({ data: { organization: { membersWithRole: { pageInfo: { hasNextPage: false, endCursor: 'Y3Vyc29yOjE=' },
    edges: org.people.map((p) => ({ node: { id: `MDQ6VXNlcj${userId(org, p)}`, login: login(org, p), name: p.displayName, email: p.email, isSiteAdmin: false, organizationVerifiedDomainEmails: [p.email] } })) } } } }),
};
const auditLog = (path: string, action: string) => ({ name: 'Get the audit log for an organization', path,
  response: (org: FakeOrg) => org.people.slice(0, 3).map((p, n) => ({ '@timestamp': 1780000000000 + n, action, actor: login(org, p), actor_id: userId(org, p),
    user: login(org, person(org, n + 1)), user_id: userId(org, person(org, n + 1)), org: ORG, org_id: 900001, created_at: 1780000000000 + n,
    user_agent: `Mozilla/5.0 (${p.firstName}'s laptop)`, actor_location: { country_code: 'DE' }, business: 'acme' })) });

export const GITHUB: Connector = {
  id: 'github',
  name: 'GitHub Enterprise Cloud',
  family: 'github',
  settings: APP_SETTINGS,
  secrets: APP_SECRETS,
  sensitive: APP_SENSITIVE,
  setup: installApp('Repository: Contents, Issues, Metadata, Pull requests; Organization: Administration (audit log), Members'),
  caveats: 'The organization audit log API needs GitHub Enterprise Cloud; on Free, Pro or Team plans use `github-non-enterprise`. Installation tokens last one hour and are shared between the proxy\'s instances.',
  sanitizes: 'Logins become reversible tokens, account ids, node ids and emails (commit authors\' too) tokens; names, profiles, avatars and links are redacted, as are issue, pull-request and comment titles and bodies, commit messages and file lists, team names and descriptions (team slugs become tokens); GraphQL answers keep only members, SAML identities and commit history.',
  rules: { '': GITHUB_RULES_YAML },
  conformance: { '': 'github/github' },
  examples: [
    members,
    graphqlMembers,
    teams,
    teamMembers,
    { name: 'List organization repositories', path: `/orgs/${ORG}/repos?per_page=100`,
      response: (org) => [{ id: 8001, node_id: 'R_kgDOA', name: REPO, full_name: `${ORG}/${REPO}`, private: true, owner: { login: ORG, id: 900001, type: 'Organization' },
        description: personalText(org, `Salary runs, ask ${person(org, 0).displayName}`), homepage: null, default_branch: 'main', created_at: org.isoTime(), pushed_at: org.isoTime() }] },
    { name: 'List commits', path: `/repos/${ORG}/${REPO}/commits?per_page=100`,
      response: (org) => org.people.slice(0, 2).map((p, n) => ({ sha: `a1b2c3d4e5f6${n}`, node_id: `C_kwDO${n}`,
        commit: { author: gitActor(p, org.isoTime()), committer: gitActor(p, org.isoTime()), message: personalText(org, `Fix ${p.firstName}'s overtime rounding`), comment_count: 0,
          verification: { verified: false, reason: 'unsigned', signature: null, payload: null } },
        author: account(org, p), committer: account(org, p), parents: [{ sha: `0f0e0d0c${n}` }] })) },
    { name: 'List pull requests', path: `/repos/${ORG}/${REPO}/pulls?state=all&per_page=100`,
      response: (org) => {
        const [author, reviewer, assignee] = [person(org, 0), person(org, 1), person(org, 2)];
        return [{ id: 9001, node_id: 'PR_kwDO1', number: 42, state: 'open', title: personalText(org, `Pay ${assignee.displayName}'s bonus early`), body: personalText(org, `Approved by ${reviewer.email}`),
          user: account(org, author), assignee: account(org, assignee), assignees: [account(org, assignee)], requested_reviewers: [account(org, reviewer)],
          created_at: org.isoTime(), updated_at: org.isoTime(), merged_at: null, draft: false,
          head: { label: `${ORG}:bonus-schedule`, ref: 'bonus-schedule', sha: 'abc123', user: { login: ORG, id: 900001, type: 'Organization' } },
          base: { label: `${ORG}:main`, ref: 'main', sha: 'def456', user: { login: ORG, id: 900001, type: 'Organization' } } }];
      } },
    { name: 'List issue comments', path: `/repos/${ORG}/${REPO}/issues/42/comments?per_page=100`,
      response: (org) => org.people.slice(1, 3).map((p, n) => ({ id: 10001 + n, node_id: `IC_kwDO${n}`, user: account(org, p), created_at: org.isoTime(), updated_at: org.isoTime(),
        body: personalText(org, `${p.firstName} here: call me on ${p.phone}`), author_association: 'MEMBER', url: `https://api.github.com/repos/${ORG}/${REPO}/issues/comments/${10001 + n}` })) },
    auditLog(`/orgs/${ORG}/audit-log?phrase=created:2026-09-01..2026-10-01&include=all&per_page=100`, 'repo.create'),
  ],
};

export const GITHUB_NON_ENTERPRISE: Connector = {
  ...GITHUB,
  id: 'github-non-enterprise',
  name: 'GitHub (Free, Pro, Team)',
  setup: installApp('Repository: Contents, Issues, Metadata, Pull requests; Organization: Members'),
  caveats: 'For organizations on github.com without Enterprise Cloud: no audit log. Installation tokens last one hour and are shared between the proxy\'s instances.',
  examples: GITHUB.examples.filter((e) => !e.path.includes('audit-log')),
  // Same rules as `github` (psoxy has no separate rules for it), so psoxy's github cases hold.
};

export const GITHUB_COPILOT: Connector = {
  id: 'github-copilot',
  name: 'GitHub Copilot',
  family: 'github',
  settings: APP_SETTINGS,
  secrets: APP_SECRETS,
  sensitive: APP_SENSITIVE,
  setup: installApp('Organization: Administration (Copilot events of the audit log), Members, GitHub Copilot Business'),
  caveats: 'Needs GitHub Enterprise Cloud (audit log) and Copilot Business or Enterprise seats. The audit log is only readable for `action:copilot` events of the web source.',
  sanitizes: 'Seat holders\' and members\' logins become reversible tokens, ids and emails tokens, profiles redacted; team names redacted and slugs tokenized; audit-log actors and users become tokens.',
  rules: { '': GITHUB_COPILOT_RULES_YAML },
  conformance: { '': 'github/github-copilot' },
  examples: [
    members,
    graphqlMembers,
    teams,
    teamMembers,
    { name: 'List all Copilot seat assignments for an organization', path: `/orgs/${ORG}/copilot/billing/seats?per_page=100`,
      response: (org) => ({ total_seats: org.people.length, seats: org.people.map((p) => ({ created_at: org.isoTime(), updated_at: org.isoTime(), pending_cancellation_date: null,
        last_activity_at: org.isoTime(), last_activity_editor: 'vscode/1.93.0/copilot/1.230.0', plan_type: 'business', assignee: account(org, p),
        assigning_team: { id: 7001, name: personalText(org, `${p.lastName} pilot group`), slug: 'pilot-group', description: null, url: 'https://api.github.com/teams/7001', html_url: `https://github.com/orgs/${ORG}/teams/pilot-group` } })) }) },
    auditLog(`/orgs/${ORG}/audit-log?phrase=action:copilot&include=web&per_page=100`, 'copilot.cfb_seat_assignment_created'),
  ],
};

export const GITHUB_ENTERPRISE_SERVER: Connector = {
  ...GITHUB,
  id: 'github-enterprise-server',
  name: 'GitHub Enterprise Server',
  settings: {
    TARGET_HOST: '{GITHUB_ENTERPRISE_SERVER_HOST}',
    SOURCE_AUTH_STRATEGY_IDENTIFIER: 'oauth2_refresh_token',
    GRANT_TYPE: 'refresh_token',
    REFRESH_ENDPOINT: 'https://{GITHUB_ENTERPRISE_SERVER_HOST}/login/oauth/access_token',
    USE_SHARED_TOKEN: 'true',
  },
  secrets: ['CLIENT_ID', 'CLIENT_SECRET', 'REFRESH_TOKEN'],
  sensitive: ['CLIENT_ID', 'CLIENT_SECRET', 'REFRESH_TOKEN', 'ACCESS_TOKEN'], // psoxy flags CLIENT_ID sensitive too
  setup: [
    'On your GitHub Enterprise Server, register a GitHub App owned by the organization with the read-only permissions Repository:',
    'Contents, Issues, Metadata, Pull requests and Organization: Administration, Members; keep *Expire user authorization tokens*',
    'on and install it on the organization. Authorize it as an organization owner through',
    '`https://<host>/login/oauth/authorize?client_id=<client id>` and exchange the code at `/login/oauth/access_token` for a',
    'user token and refresh token. Set `TARGET_HOST` and `REFRESH_ENDPOINT` to your host; fill `CLIENT_ID`, `CLIENT_SECRET`',
    'and `REFRESH_TOKEN` (the proxy writes rotated refresh tokens back).',
  ].join('\n'),
  caveats: 'The refresh token expires after 6 months unused (GitHub\'s rule for user tokens); the user who authorized the app must stay an organization owner.',
  rules: { '': GITHUB_ENTERPRISE_SERVER_RULES_YAML },
  conformance: {},
  examples: GITHUB.examples.map((e) => ({ ...e, path: e.path === '/graphql' ? '/api/graphql' : `/api/v3${e.path}` })),
};

export const GITHUB_CONNECTORS: readonly Connector[] = [GITHUB, GITHUB_NON_ENTERPRISE, GITHUB_COPILOT, GITHUB_ENTERPRISE_SERVER];
