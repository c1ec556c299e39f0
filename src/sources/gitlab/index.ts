/**
 * GitLab connectors: GitLab.com (psoxy `gitlab-cloud`: a group, project or personal access token
 * with `read_api`) and self-managed GitLab or GitLab Dedicated (psoxy `gitlab-managed`: an
 * administrator's impersonation token with `read_api`).
 */
import type { Connector } from '../catalogue/connector.ts';
import { person, personalText, type FakeOrg, type FakePerson } from '../catalogue/fake-org.ts';
import { GITLAB_CLOUD_RULES_YAML, GITLAB_MANAGED_RULES_YAML } from './rules.ts';

const GROUP = 71000001;
const PROJECT = 52000001;
const ISSUE = 163000001, ISSUE_IID = 12;
const MR = 294000001, MR_IID = 7;
const SHA = '6104942438c14ec7bd21c6cd5bd995272b3faff6';

/** GitLab user ids are integers; a person's is derived from their place in the org. */
const userId = (org: FakeOrg, p: FakePerson) => 9100000 + org.people.indexOf(p) * 31;
/** Usernames are personal (they are in every profile URL); recorded so the leak test looks for them. */
const username = (org: FakeOrg, p: FakePerson) => personalText(org, p.email.split('@')[0]);
const user = (org: FakeOrg, p: FakePerson) => ({
  id: userId(org, p), username: username(org, p), name: p.displayName, state: 'active', locked: false,
  avatar_url: `https://secure.gravatar.com/avatar/${p.id}?s=80&d=identicon`, web_url: `https://gitlab.com/${username(org, p)}`,
});

function commit(org: FakeOrg, author: FakePerson, n = 0) {
  const title = personalText(org, `Fix ${author.lastName}'s payroll rounding (${n})`);
  return {
    id: n === 0 ? SHA : org.chars(40, '0123456789abcdef'), short_id: SHA.slice(0, 8), created_at: org.isoTime(), parent_ids: [org.chars(40, '0123456789abcdef')],
    title, message: `${title}\n\nReviewed-by: ${author.displayName} <${author.email}>`, author_name: author.displayName, author_email: author.email,
    authored_date: org.isoTime(), committer_name: author.displayName, committer_email: author.email, committed_date: org.isoTime(),
    trailers: { 'Reviewed-by': `${author.displayName} <${author.email}>` }, web_url: `https://gitlab.com/acme/payroll/-/commit/${SHA}`,
    stats: { additions: org.int(1, 90), deletions: org.int(0, 40), total: org.int(1, 130) }, status: 'success',
  };
}

/** What issues and merge requests share: ids, people, texts and counts. */
function tracked(org: FakeOrg, id: number, iid: number, kind: string) {
  const [author, assignee, closer] = [person(org, 0), person(org, 1), person(org, 2)];
  return {
    id, iid, project_id: PROJECT, title: personalText(org, `${kind}: ${assignee.firstName} cannot see her payslip`),
    description: personalText(org, `Reported by ${author.displayName} (${author.phone}); cc @${username(org, closer)}`),
    state: 'closed', created_at: org.isoTime(), updated_at: org.isoTime(), closed_at: org.isoTime(),
    closed_by: user(org, closer), author: user(org, author), assignee: user(org, assignee), assignees: [user(org, assignee)],
    labels: [personalText(org, `leave-${author.lastName.toLowerCase()}`)],
    milestone: { id: 4400001, iid: 3, project_id: PROJECT, title: personalText(org, `${author.lastName} handover`), description: 'Before the leave', state: 'active',
      created_at: org.isoTime(), updated_at: org.isoTime(), due_date: '2026-11-30', start_date: '2026-10-01', expired: false },
    upvotes: 1, downvotes: 0, user_notes_count: 2, discussion_locked: false, web_url: `https://gitlab.com/acme/payroll/-/issues/${iid}`,
    task_completion_status: { count: 2, completed_count: 1 }, time_stats: { time_estimate: 3600, total_time_spent: 1800, human_time_estimate: '1h', human_total_time_spent: '30m' },
  };
}

const issue = (org: FakeOrg) => ({ ...tracked(org, ISSUE, ISSUE_IID, 'Bug'), type: 'ISSUE', issue_type: 'issue', confidential: true, due_date: '2026-10-20',
  merge_requests_count: 1, weight: 2, severity: 'UNKNOWN', has_tasks: true });

function mergeRequest(org: FakeOrg) {
  const [reviewer, merger] = [person(org, 3), person(org, 4)];
  return { ...tracked(org, MR, MR_IID, 'Fix'), state: 'merged', merged_at: org.isoTime(), merged_by: user(org, merger), merge_user: user(org, merger),
    reviewers: [user(org, reviewer)], draft: false, work_in_progress: false,
    source_branch: personalText(org, `${username(org, reviewer)}/payslip-${reviewer.lastName.toLowerCase()}`), target_branch: 'main',
    source_project_id: PROJECT, target_project_id: PROJECT, sha: SHA, merge_commit_sha: SHA, squash_commit_sha: null, squash: false, squash_on_merge: false,
    should_remove_source_branch: true, has_conflicts: false, blocking_discussions_resolved: true, detailed_merge_status: 'mergeable', changes_count: '3',
    diff_refs: { base_sha: SHA, head_sha: SHA, start_sha: SHA }, references: { full: `acme/payroll!${MR_IID}` } };
}

function notes(org: FakeOrg, noteableType: string, noteableId: number, noteableIid: number) {
  const [author, mentioned] = [person(org, 1), person(org, 2)];
  const base = { noteable_id: noteableId, noteable_iid: noteableIid, noteable_type: noteableType, project_id: PROJECT, created_at: org.isoTime(), updated_at: org.isoTime(),
    resolvable: false, confidential: false, internal: false, attachment: null };
  return [
    { ...base, id: 880001, type: null, body: personalText(org, `@${username(org, mentioned)} your salary review is attached`), author: user(org, author), system: false },
    { ...base, id: 880002, type: null, body: `assigned to @${username(org, mentioned)}`, author: user(org, author), system: true },
  ];
}

const stateEvents = (org: FakeOrg, resourceType: string, resourceId: number) => [
  { id: 660001, user: user(org, person(org, 2)), created_at: org.isoTime(), resource_type: resourceType, resource_id: resourceId, state: 'closed' },
];

export const GITLAB_CLOUD: Connector = {
  id: 'gitlab-cloud',
  name: 'GitLab.com',
  family: 'gitlab',
  settings: { TARGET_HOST: 'gitlab.com', SOURCE_AUTH_STRATEGY_IDENTIFIER: 'oauth2_access_token' },
  secrets: ['ACCESS_TOKEN'],
  sensitive: ['ACCESS_TOKEN'],
  setup: [
    'In the top-level group to be analysed, create a [group access token](https://docs.gitlab.com/user/group/settings/group_access_tokens/)',
    '(recommended; or a project access token, or a personal access token of a dedicated user) with the `read_api` scope and the',
    '`Maintainer` role, which GitLab requires to list group members and read audit events. Set its expiry as far out as your',
    'policy allows (GitLab caps it at a year) and renew it before then. Group and project ids for the calls come from',
    '`/api/v4/groups` and `/api/v4/projects`.',
  ].join('\n'),
  caveats: 'Group access tokens need GitLab Premium or Ultimate on GitLab.com; project audit events need Premium or Ultimate; members\' emails are only returned for enterprise users of the group.',
  sanitizes: 'User ids, usernames and emails (of authors, assignees, reviewers, mergers, closers, note authors and group members), commit author and committer emails, project creators, SAML identities and audit event authors and user targets become tokens; audit IPs are hashed; branch names become reversible tokens; names, titles, descriptions, labels, commit messages, note bodies, group and project names and paths, and profile URLs do not come out.',
  rules: { '': GITLAB_CLOUD_RULES_YAML },
  conformance: {},
  // psoxy's earlier name for its GitLab.com connector.
  aliases: ['gitlabcom'],
  examples: [
    { name: 'List groups', path: '/api/v4/groups?per_page=20', response: (org) => [{ id: GROUP, name: personalText(org, `${person(org, 0).lastName} payroll team`), path: 'payroll',
      full_path: 'acme/payroll', description: personalText(org, `Run by ${person(org, 0).displayName}`), visibility: 'private', parent_id: null, created_at: org.isoTime() }] },
    { name: 'List all members of a group', path: `/api/v4/groups/${GROUP}/members/all?per_page=100`,
      response: (org) => org.people.map((p, n) => ({ ...user(org, p), access_level: n === 0 ? 50 : 30, created_at: org.isoTime(), expires_at: null, email: p.email,
        is_using_seat: true, membership_state: 'active', created_by: user(org, person(org, 0)),
        group_saml_identity: { extern_uid: personalText(org, `saml-${p.id}`), provider: 'group_saml', saml_provider_id: 4001 } })) },
    { name: 'Get namespace by id', path: `/api/v4/namespaces/${GROUP}`,
      response: (org) => ({ id: GROUP, name: personalText(org, `${person(org, 0).lastName} payroll team`), path: 'payroll', kind: 'group', full_path: 'acme/payroll',
        plan: 'premium', end_date: '2027-06-30', trial: false, trial_ends_on: null, billable_members_count: org.people.length, seats_in_use: org.people.length, max_seats_used: org.people.length }) },
    { name: 'List projects', path: '/api/v4/projects?membership=true&per_page=20',
      response: (org) => {
        const owner = person(org, 1);
        return [{ id: PROJECT, name: 'payroll', path: 'payroll', path_with_namespace: personalText(org, `${username(org, owner)}/payroll-notes`),
          description: personalText(org, `${owner.displayName}'s notes on the payroll migration`), creator_id: userId(org, owner),
          namespace: { id: 72000001, name: owner.displayName, path: username(org, owner), kind: 'user', full_path: username(org, owner), parent_id: null },
          default_branch: 'main', visibility: 'private', archived: false, empty_repo: false, created_at: org.isoTime(), updated_at: org.isoTime(), last_activity_at: org.isoTime(),
          forks_count: 0, star_count: 1, open_issues_count: 3, issues_enabled: true, merge_requests_enabled: true, web_url: `https://gitlab.com/${username(org, owner)}/payroll-notes` }];
      } },
    { name: 'List repository branches', path: `/api/v4/projects/${PROJECT}/repository/branches`,
      response: (org) => [{ name: personalText(org, `${username(org, person(org, 3))}/fix-${person(org, 3).lastName.toLowerCase()}`), merged: false, protected: false, default: false,
        developers_can_push: true, developers_can_merge: true, can_push: true, web_url: 'https://gitlab.com/acme/payroll/-/tree/x', commit: commit(org, person(org, 3)) }] },
    { name: 'List repository commits', path: `/api/v4/projects/${PROJECT}/repository/commits?since=2026-09-01T00:00:00Z&with_stats=true`,
      response: (org) => org.people.slice(0, 3).map((p, n) => commit(org, p, n)) },
    { name: 'Get a single commit', path: `/api/v4/projects/${PROJECT}/repository/commits/${SHA}`, response: (org) => commit(org, person(org, 2)) },
    { name: 'List project issues', path: `/api/v4/projects/${PROJECT}/issues?updated_after=2026-09-01T00:00:00Z`, response: (org) => [issue(org)] },
    { name: 'Get an issue', path: `/api/v4/issues/${ISSUE}`, response: (org) => issue(org) },
    { name: 'List issue notes', path: `/api/v4/projects/${PROJECT}/issues/${ISSUE_IID}/notes`, response: (org) => notes(org, 'Issue', ISSUE, ISSUE_IID) },
    { name: 'List issue state events', path: `/api/v4/projects/${PROJECT}/issues/${ISSUE_IID}/resource_state_events`, response: (org) => stateEvents(org, 'Issue', ISSUE) },
    { name: 'List project merge requests', path: `/api/v4/projects/${PROJECT}/merge_requests?state=all&updated_after=2026-09-01T00:00:00Z`, response: (org) => [mergeRequest(org)] },
    { name: 'Get a merge request', path: `/api/v4/merge_requests/${MR}`, response: (org) => mergeRequest(org) },
    { name: 'List merge request commits', path: `/api/v4/projects/${PROJECT}/merge_requests/${MR_IID}/commits`, response: (org) => [commit(org, person(org, 3))] },
    { name: 'List merge request notes', path: `/api/v4/projects/${PROJECT}/merge_requests/${MR_IID}/notes`, response: (org) => notes(org, 'MergeRequest', MR, MR_IID) },
    { name: 'List project audit events', path: `/api/v4/projects/${PROJECT}/audit_events?created_after=2026-09-01T00:00:00Z`,
      response: (org) => {
        const [admin, added] = [person(org, 0), person(org, 4)];
        return [{ id: 990001, author_id: userId(org, admin), entity_id: PROJECT, entity_type: 'Project', event_name: 'member_created', created_at: org.isoTime(),
          details: { event_name: 'member_created', author_name: admin.displayName, author_email: admin.email, author_class: 'User', target_id: userId(org, added),
            target_type: 'User', target_details: added.displayName, custom_message: personalText(org, `Added ${added.displayName} as Developer`),
            add: 'user_access', as: 'Developer', ip_address: '203.0.113.45', entity_path: personalText(org, `${username(org, admin)}/payroll-notes`) } }];
      } },
  ],
};

/** An instance user as an administrator's token lists them: everything GitLab has on the person. */
const instanceUser = (org: FakeOrg, p: FakePerson) => ({
  ...user(org, p), email: p.email, public_email: p.email, commit_email: p.email, bio: personalText(org, `${p.firstName} looks after payroll, call ${p.phone}`),
  location: 'Lisbon', job_title: personalText(org, `Head of ${p.lastName} accounts`), organization: 'Acme', linkedin: '', skype: '', twitter: '', website_url: '',
  created_at: org.isoTime(400), last_sign_in_at: org.isoTime(), current_sign_in_at: org.isoTime(), last_activity_on: org.isoTime().slice(0, 10), confirmed_at: org.isoTime(400),
  is_admin: false, bot: false, external: false, two_factor_enabled: true, using_license_seat: true, can_create_group: true, can_create_project: true, projects_limit: 100000,
  current_sign_in_ip: personalText(org, `198.51.100.${org.int(1, 254)}`), last_sign_in_ip: personalText(org, `198.51.100.${org.int(1, 254)}`),
  identities: [{ provider: 'ldapmain', extern_uid: personalText(org, `cn=${p.displayName},ou=people,dc=acme,dc=com`) }],
});

export const GITLAB_MANAGED: Connector = {
  id: 'gitlab-managed',
  name: 'GitLab Self-Managed / Dedicated',
  family: 'gitlab',
  settings: { TARGET_HOST: 'gitlab.YOUR-COMPANY.com', SOURCE_AUTH_STRATEGY_IDENTIFIER: 'oauth2_access_token' },
  secrets: ['ACCESS_TOKEN'],
  sensitive: ['ACCESS_TOKEN'],
  setup: [
    'Set `TARGET_HOST` to your instance\'s host. As an administrator, create a dedicated user of type Administrator (Admin area →',
    'Users → New user) to act as the service account, then under that user\'s Impersonation Tokens create a token with the',
    '`read_api` scope and an expiry as far out as your policy allows (renew it before then). An administrator\'s token is needed',
    'to list the instance\'s users and read their email addresses. Group and project ids for the calls come from `/api/v4/groups`',
    'and `/api/v4/projects`.',
  ].join('\n'),
  caveats: 'Audit events need GitLab Premium or Ultimate; the token\'s user must be an administrator for `/users` to include every user and their emails.',
  sanitizes: GITLAB_CLOUD.sanitizes + ' The instance\'s users: ids (reversible, so a user\'s emails can be asked for), usernames and emails become tokens; names, bios, job titles, sign-in IPs, identities and links do not come out; each user\'s email addresses become tokens.',
  rules: { '': GITLAB_MANAGED_RULES_YAML },
  conformance: {},
  // psoxy's earlier name for its self-managed GitLab connector.
  aliases: ['gitlab-instance'],
  examples: [
    ...GITLAB_CLOUD.examples.map((e) => ({ ...e, response: (org: FakeOrg) => JSON.parse(JSON.stringify(e.response(org)).replaceAll('https://gitlab.com/', 'https://gitlab.acme.example/')) as unknown })),
    { name: 'Version', path: '/api/v4/version', response: () => ({ version: '18.4.1-ee', revision: 'a1b2c3d4e5f', kas: { enabled: true, externalUrl: null, version: '18.4.1' }, enterprise: true }) },
    { name: 'List users (administrator)', path: '/api/v4/users?active=true&per_page=100', response: (org) => org.people.map((p) => instanceUser(org, p)) },
    { name: 'List a user\'s emails (administrator)', path: `/api/v4/users/${9100000}/emails`,
      response: (org) => {
        const p = person(org, 0);
        return [{ id: 31001, email: p.email, confirmed_at: org.isoTime(400) }, { id: 31002, email: personalText(org, `${p.firstName.toLowerCase()}.private@mail.example`), confirmed_at: null }];
      } },
  ],
};

export const GITLAB_CONNECTORS: readonly Connector[] = [GITLAB_CLOUD, GITLAB_MANAGED];
