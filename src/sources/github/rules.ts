/**
 * Built-in rules for GitHub, written for this project to act like psoxy v0.6.9's `github.yaml`
 * and `github-copilot.yaml`: the same endpoints, query parameters, transforms and GraphQL response
 * schema. Enterprise Server gets the same endpoints under its `/api/v3` prefix, as psoxy's
 * `github-enterprise-server` rules do. Where we differ on purpose, the comment says so.
 */

/** What a GitHub account object (user, owner, assignee…) shows about its person, besides ids: links, names, profile. */
const PROFILE = ['avatar_url', 'gravatar_id', 'url', 'html_url', 'followers_url', 'following_url', 'gists_url', 'starred_url', 'subscriptions_url',
  'organizations_url', 'repos_url', 'events_url', 'received_events_url', 'name', 'company', 'location', 'bio', 'twitter_username'];

const quoted = (names: readonly string[]) => names.map((n) => `'${n}'`).join(',');
const paths = (ps: readonly string[]) => JSON.stringify(ps);
const redact = (...ps: string[]) => `!<redact> { jsonPaths: ${paths(ps)} }`;
const tokenize = (...ps: string[]) => `!<tokenize> { jsonPaths: ${paths(ps)} }`;
const pseudonymize = (ps: string[], reversible = false) =>
  `!<pseudonymize> { encoding: URL_SAFE_TOKEN${reversible ? ', includeReversible: true' : ''}, jsonPaths: ${paths(ps)} }`;

/**
 * Account objects: profile redacted, `id`, `node_id` and `email` pseudonymized, `login` reversibly
 * (so it can be sent back in `/users/{username}`). `at` is a JSONPath to the objects:
 * `$..['user','owner']`, `$..assignees[*]`; without it, those keys at any depth (for responses
 * that are accounts or lists of accounts).
 */
const accounts = (at?: string) => at === undefined
  // A deep scan with a name union at the root (`$..['a','b']`) finds nothing in a top-level array
  // (in psoxy's JSONPath and ours alike), hence one path per name there.
  ? [redact(...PROFILE.map((n) => `$..${n}`)), pseudonymize(['$..id', '$..node_id', '$..email']), pseudonymize(['$..login'], true)]
  : [redact(`${at}.[${quoted(PROFILE)}]`), pseudonymize([`${at}.['id','node_id','email']`]), pseudonymize([`${at}.login`], true)];
const accountsUnder = (...holders: string[]) => accounts(`$..[${quoted(holders)}]`);

const PAGE = ['per_page', 'page'];
const SORTED = [...PAGE, 'sort', 'direction'];

/** Git commits (REST): authors and committers are accounts; messages, files, signatures are text. */
const COMMITS = [redact('$..name', '$..message', '$..files', '$..signature', '$..payload'), ...accountsUnder('author', 'committer')];
/** Teams: names, descriptions and links redacted, slugs replaced by tokens. */
const TEAMS = [redact('$..name', '$..description', '$..url', '$..html_url', '$..members_url', '$..repositories_url'), tokenize('$..slug')];
const AUDIT_LOG = [
  redact('$..hashed_token', '$..business', '$..business_id', '$..transport_protocol', '$..transport_protocol_name', '$..pull_request_title',
    '$..user_agent', '$..job', '$..active_job_id', '$..aqueduct_job_id', '$..catalog_service', '$..migration_id'),
  pseudonymize(['$..actor', '$..actor_id', '$..user', '$..user_id', '$..started_by', '$..started_by_id']),
];
const AUDIT_LOG_PARAMS = [...PAGE, 'phrase', 'include', 'after', 'before', 'order'];
/** Issue and timeline events: everyone they name (actors, assignees, reviewers, authors). */
const EVENT_PEOPLE = accountsUnder('author', 'committer', 'review_requester', 'owner', 'user', 'requested_reviewer', 'closed_by', 'assigner', 'actor', 'assignee', 'creator');
const EVENT_TEXT = redact('$..name', '$..url', '$..body', '$..rename', '$..message', '$..files', '$..signature', '$..payload', '$..dismissalMessage');
/**
 * Pull requests' people. Their `head.label` / `base.label` (`login:branch`) pass as they are in
 * psoxy's rules, and its expected output keeps them, so ours do too: a known leak of the fork
 * owner's login.
 */
const PULL_PEOPLE = [...accountsUnder('owner', 'user', 'closed_by', 'enabled_by', 'actor', 'assignee', 'creator', 'merged_by'), ...accounts('$..requested_reviewers[*]'), ...accounts('$..assignees[*]')];
const PULL_TEXT = ['$..title', '$..body', '$..name', '$..description', '$..homepage', '$..commit_title', '$..commit_message', '$..temp_clone_token'];
const REVIEW_COMMENTS = [redact('$..path', '$..diff_hunk', '$..body'), ...accountsUnder('user')];

interface Endpoint {
  path: string;
  /** Allowed query parameters; absent = any (as psoxy's rules leave them for single issues and pulls and GraphQL). */
  params?: readonly string[];
  transforms?: readonly string[];
  /** Further YAML keys of the endpoint, indented four spaces. */
  more?: string;
}

const yamlEndpoint = (e: Endpoint) => [
  `  - pathTemplate: "${e.path}"`,
  ...(e.params ? [`    allowedQueryParams: [${e.params.join(', ')}]`] : []),
  ...(e.transforms?.length ? ['    transforms:', ...e.transforms.map((t) => `      - ${t}`)] : []),
  ...(e.more ? [e.more] : []),
].join('\n');

const USERS: Endpoint = { path: '/users/{username}', params: ['since', 'per_page'], transforms: accounts(),
  more: '    pathParameterSchemas: { username: { type: string, format: reversible-pseudonym } }' };
const ORG_MEMBERS: Endpoint = { path: '/orgs/{org}/members', params: [...PAGE, 'filter', 'role'], transforms: accounts() };
const ORG_TEAMS: Endpoint = { path: '/orgs/{org}/teams', params: PAGE, transforms: TEAMS };
const TEAM_MEMBERS: Endpoint = { path: '/orgs/{org}/teams/{teamSlug}/members', params: PAGE, transforms: accounts() };

/**
 * GraphQL: members (with their verified-domain emails), SAML identities and commit history.
 * psoxy lets any body through; ours must hold a GraphQL document without `mutation` in it, so
 * the proxy can only read even if the app was granted write access. psoxy's schema also names a
 * commit's `user` with the non-existent type `onBehalfOf` (GitHub's Commit has no `user`; that
 * type fails any response carrying one); ours leaves it out, so such a field would be dropped.
 */
const GRAPHQL: Endpoint = {
  path: '/graphql',
  transforms: [
    redact('$..ssoUrl'),
    pseudonymize(['$..nameId', '$..email', '$..emails[*].value', '$..guid', '$..organizationVerifiedDomainEmails[*]']),
    pseudonymize(['$..login'], true),
  ],
  more: [
    '    requestBody:',
    '      content:',
    '        application/json:',
    '          type: object',
    '          required: [query]',
    '          properties: { query: { type: string, pattern: "^(?![\\\\s\\\\S]*\\\\bmutation\\\\b)[\\\\s\\\\S]*$" }, variables: { type: object }, operationName: { type: string } }',
    '    responseSchema:',
    '      type: object',
    '      properties:',
    '        data:',
    '          type: object',
    '          properties:',
    '            rateLimit: { type: object, properties: { limit: *i, cost: *i, nodeCount: *i, remaining: *i, used: *i, resetAt: { type: string, format: date-time } } }',
    '            organization:',
    '              type: object',
    '              properties:',
    '                membersWithRole: { type: object, properties: { pageInfo: *page, edges: { type: array, items: { type: object, properties: { node: { $ref: "#/definitions/Member" } } } } } }',
    '                samlIdentityProvider: { type: object, properties: { externalIdentities: { type: object, properties: { pageInfo: *page, edges: { type: array, items: { type: object, properties: { node: { $ref: "#/definitions/SamlIdentity" } } } } } } } }',
    '                repository:',
    '                  type: object',
    '                  properties:',
    '                    ref: { type: object, properties: { target: { type: object, properties: { history: { $ref: "#/definitions/Commits" } } } } }',
    '                    pullRequest: { type: object, properties: { commits: { type: object, properties: { pageInfo: *page, edges: { type: array, items: { type: object, properties: { node: { type: object, properties: { commit: { $ref: "#/definitions/Commit" } } } } } } } } } }',
    '        errors:',
    '          type: array',
    '          items: { type: object, properties: { type: *s, message: *s, path: { type: array, items: *s }, locations: { type: array, items: { type: object, properties: { line: *i, column: *i } } } } }',
  ].join('\n'),
};

/** Definitions for the GraphQL schema, first in the file so their anchors exist where used. */
const GRAPHQL_DEFINITIONS = String.raw`
definitions:
  String: &s { type: string }
  Integer: &i { type: integer }
  Boolean: &b { type: boolean }
  PageInfo: &page { type: object, properties: { hasNextPage: *b, endCursor: *s } }
  Member: { type: object, properties: { id: *s, login: *s, email: *s, isSiteAdmin: *b, organizationVerifiedDomainEmails: { type: array, items: *s } } }
  SamlIdentity:
    type: object
    properties:
      guid: *s
      samlIdentity: { type: object, properties: { nameId: *s, emails: { type: array, items: { type: object, properties: { value: *s } } } } }
      user: { type: object, properties: { login: *s } }
  Commits: { type: object, properties: { pageInfo: *page, edges: { type: array, items: { type: object, properties: { node: { $ref: "#/definitions/Commit" } } } } } }
  # A commit's shape and size; who wrote it only as (pseudonymized) email and login.
  GitActor: { type: object, properties: { email: *s, date: *s, user: { type: object, properties: { login: *s } } } }
  Commit:
    type: object
    properties:
      id: *s
      oid: *s
      authoredDate: *s
      committedDate: *s
      authoredByCommitter: *b
      committedViaWeb: *b
      changedFilesIfAvailable: *i
      additions: *i
      deletions: *i
      author: { $ref: "#/definitions/GitActor" }
      committer: { $ref: "#/definitions/GitActor" }
      parents: { type: object, properties: { nodes: { type: array, items: { type: object, properties: { oid: *s } } } } }
      tree: { type: object, properties: { oid: *s } }
      associatedPullRequests: { type: object, properties: { nodes: { type: array, items: { type: object, properties: { number: *i } } } } }
`;

const GITHUB_ENDPOINTS: readonly Endpoint[] = [
  ORG_MEMBERS,
  USERS,
  GRAPHQL,
  ORG_TEAMS,
  TEAM_MEMBERS,
  { path: '/orgs/{org}/audit-log', params: AUDIT_LOG_PARAMS, transforms: AUDIT_LOG },
  { path: '/organizations/{installationId}/audit-log', params: AUDIT_LOG_PARAMS, transforms: AUDIT_LOG },
  { path: '/orgs/{org}/repos', params: [...SORTED, 'type'], transforms: [redact('$..description', '$..homepage'), ...accountsUnder('owner')] },
  // Branch names and head commit SHAs: nothing of a person's.
  { path: '/repos/{owner}/{repo}/branches', params: [...PAGE, 'protected'] },
  { path: '/repos/{owner}/{repo}/commits', params: [...PAGE, 'sha', 'path', 'since', 'until'], transforms: COMMITS },
  { path: '/repos/{owner}/{repo}/commits/{ref}', params: PAGE, transforms: COMMITS },
  // psoxy names requested reviewers here as a key literally called 'requested_reviewers[*]', which
  // never matches, so their ids and logins pass in clear; ours take them as accounts.
  { path: '/repos/{owner}/{repo}/events', params: PAGE, transforms: [
    redact('$..display_login', '$..avatar_url', '$..gravatar_id', '$..html_url', '$..name', '$..url', '$..message', '$..description', '$..body', '$..title'),
    pseudonymize(['$..author.email']),
    ...accountsUnder('owner', 'user', 'closed_by', 'actor', 'assignee', 'creator', 'merged_by'),
    ...accounts('$..requested_reviewers[*]'),
    ...accounts('$..assignees[*]'),
  ] },
  { path: '/repos/{owner}/{repo}/commits/{commitSha}/comments', params: PAGE, transforms: [
    redact('$..name', '$..message', '$..files', '$..signature', '$..payload', '$..path', '$..body', '$..position', '$..line'), ...accountsUnder('user')] },
  { path: '/repos/{owner}/{repo}/comments/{commentId}/reactions', params: PAGE, transforms: accountsUnder('user') },
  { path: '/repos/{owner}/{repo}/issues/{issueNumber}', transforms: [
    redact('$..title', '$..body', '$..description', '$..name', '$..pem'), ...accountsUnder('user', 'closed_by', 'assignee', 'creator'), ...accounts('$..assignees[*]')] },
  { path: '/repos/{owner}/{repo}/issues', params: [...SORTED, 'milestone', 'state', 'labels', 'after', 'before', 'since'], transforms: [
    redact('$..title', '$..body', '$..description', '$..name'), ...accountsUnder('owner', 'user', 'closed_by', 'assignee', 'creator'), ...accounts('$..assignees[*]')] },
  { path: '/repos/{owner}/{repo}/issues/{issueNumber}/comments', params: [...PAGE, 'since'], transforms: [redact('$..url', '$..message', '$..body'), ...accountsUnder('user')] },
  { path: '/repos/{owner}/{repo}/issues/{issueNumber}/events', params: PAGE, transforms: [EVENT_TEXT, ...EVENT_PEOPLE] },
  { path: '/repos/{owner}/{repo}/issues/{issueNumber}/timeline', params: PAGE, transforms: [EVENT_TEXT, ...EVENT_PEOPLE] },
  { path: '/repos/{owner}/{repo}/issues/{issueNumber}/reactions', params: PAGE, transforms: accountsUnder('user') },
  { path: '/repos/{owner}/{repo}/issues/comments/{commentId}/reactions', params: PAGE, transforms: accountsUnder('user') },
  { path: '/repos/{owner}/{repo}/pulls/{pullNumber}/reviews', params: PAGE, transforms: [redact('$..body', '$..html_url', '$..pull_request_url'), ...accountsUnder('user')] },
  { path: '/repos/{owner}/{repo}/pulls', params: [...SORTED, 'state', 'head', 'base'], transforms: [redact(...PULL_TEXT, '$..url'), ...PULL_PEOPLE] },
  { path: '/repos/{owner}/{repo}/pulls/{pullNumber}/comments', params: [...SORTED, 'since'], transforms: REVIEW_COMMENTS },
  { path: '/repos/{owner}/{repo}/pulls/{pullNumber}/reviews/{reviewId}/comments', params: PAGE, transforms: REVIEW_COMMENTS },
  { path: '/repos/{owner}/{repo}/pulls/{pullNumber}/commits', params: PAGE, transforms: COMMITS },
  { path: '/repos/{owner}/{repo}/pulls/{pullNumber}', transforms: [redact(...PULL_TEXT), ...PULL_PEOPLE] },
];

/** Copilot's audit log: only Copilot events (`action:copilot`, optionally a `created:` range) of the web source. */
const COPILOT_AUDIT_LOG_MORE = [
  '    queryParamSchemas:',
  '      phrase: { required: true, pattern: "(action:copilot(?:\\\\+created:\\\\d{4}-\\\\d{2}-\\\\d{2}T\\\\d{2}:\\\\d{2}:\\\\d{2}Z\\\\.\\\\.\\\\d{4}-\\\\d{2}-\\\\d{2}T\\\\d{2}:\\\\d{2}:\\\\d{2}Z)?)" }',
  '      include: { required: true, enum: [web] }',
].join('\n');

const COPILOT_ENDPOINTS: readonly Endpoint[] = [
  ORG_MEMBERS,
  USERS,
  GRAPHQL,
  ORG_TEAMS,
  TEAM_MEMBERS,
  // Seats: each assignee an account, with the team that granted the seat.
  { path: '/orgs/{org}/copilot/billing/seats', params: PAGE, transforms: [...accountsUnder('assignee'), ...TEAMS] },
  { path: '/orgs/{org}/audit-log', params: AUDIT_LOG_PARAMS, transforms: AUDIT_LOG, more: COPILOT_AUDIT_LOG_MORE },
  { path: '/organizations/{installationId}/audit-log', params: AUDIT_LOG_PARAMS, transforms: AUDIT_LOG, more: COPILOT_AUDIT_LOG_MORE },
];

/** Enterprise Server serves REST under `/api/v3` (any version segment allowed) and GraphQL at `/api/graphql`. */
const onEnterpriseServer = (e: Endpoint): Endpoint => ({ ...e, path: e.path === '/graphql' ? '/api/graphql' : `/api/{enterpriseServerVersion}${e.path}` });

const rulesYaml = (endpoints: readonly Endpoint[]) => `${GRAPHQL_DEFINITIONS}endpoints:\n${endpoints.map(yamlEndpoint).join('\n')}\n`;

export const GITHUB_RULES_YAML = rulesYaml(GITHUB_ENDPOINTS);
export const GITHUB_COPILOT_RULES_YAML = rulesYaml(COPILOT_ENDPOINTS);
export const GITHUB_ENTERPRISE_SERVER_RULES_YAML = rulesYaml(GITHUB_ENDPOINTS.map(onEnterpriseServer));
