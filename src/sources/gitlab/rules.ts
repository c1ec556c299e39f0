/**
 * Built-in rules for GitLab.com (`SOURCE=gitlab-cloud`), written for this project to the effect of
 * psoxy's `gitlab-cloud.yaml`: the same 18 endpoints under `/api/v4`, each with a response schema
 * that keeps ids, states, counts and times, and every user id, username and email a token.
 *
 * Beyond psoxy: titles, descriptions, commit messages and note bodies are dropped where psoxy keeps
 * a digest of their words (and system notes' bodies, whose `@username` mentions psoxy pseudonymizes
 * but whose other words, e.g. an old title, it keeps); group names, project paths
 * (`path_with_namespace` is `<username>/<project>` for personal projects, which psoxy keeps) and
 * namespace names are dropped; branch names (`name`, `default_branch`, `source_branch`,
 * `target_branch`) become reversible tokens, so they still compare equal and can be sent back in
 * `ref_name`; an audit event's target is pseudonymized when it is a user. psoxy's `sourceId`
 * schema fields are its own bookkeeping, absent from GitLab's responses, so ours leave them out.
 */
import { schema, type Shape } from '../catalogue/response-schema.ts';
import { hashIp, list, pseudonymize, pseudonymizeReversible, tokenize } from '../catalogue/rules-yaml.ts';

const json = (v: unknown) => JSON.stringify(v);

/** A user as issues, merge requests, notes and events name them: nothing but ids and state. */
const USER: Shape = { id: 'i', username: 's', email: 's', state: 's', locked: 'b' };
const COMMIT: Shape = {
  id: 's', short_id: 's', created_at: 's', parent_ids: ['s'], author_email: 's', authored_date: 's',
  committer_email: 's', committed_date: 's', status: 's', stats: { additions: 'i', deletions: 'i', total: 'i' },
};
const MILESTONE: Shape = { id: 'i', iid: 'i', project_id: 'i', group_id: 'i', state: 's', created_at: 's', updated_at: 's', start_date: 's', due_date: 's', expired: 'b' };
const TRACKED: Shape = {
  id: 'i', iid: 'i', project_id: 'i', state: 's', created_at: 's', updated_at: 's', closed_at: 's',
  author: USER, assignee: USER, assignees: [USER], closed_by: USER, milestone: MILESTONE,
  upvotes: 'i', downvotes: 'i', user_notes_count: 'i', discussion_locked: 'b',
  task_completion_status: { count: 'i', completed_count: 'i' }, time_stats: { time_estimate: 'i', total_time_spent: 'i' },
};
const ISSUE: Shape = { ...TRACKED, type: 's', issue_type: 's', confidential: 'b', due_date: 's', merge_requests_count: 'i', weight: 'i', severity: 's', has_tasks: 'b' };
const MERGE_REQUEST: Shape = {
  ...TRACKED, merged_at: 's', merged_by: USER, merge_user: USER, reviewers: [USER], draft: 'b', work_in_progress: 'b',
  source_branch: 's', target_branch: 's', source_project_id: 'i', target_project_id: 'i', sha: 's', merge_commit_sha: 's', squash_commit_sha: 's',
  squash: 'b', squash_on_merge: 'b', should_remove_source_branch: 'b', has_conflicts: 'b', blocking_discussions_resolved: 'b',
  detailed_merge_status: 's', changes_count: 's', overflow: 'b', diff_refs: { base_sha: 's', head_sha: 's', start_sha: 's' },
};
const NOTE: Shape = {
  id: 'i', type: 's', author: USER, created_at: 's', updated_at: 's', system: 'b', noteable_id: 'i', noteable_iid: 'i',
  noteable_type: 's', project_id: 'i', resolvable: 'b', resolved: 'b', resolved_by: USER, confidential: 'b', internal: 'b',
};
const STATE_EVENT: Shape = { id: 'i', user: USER, created_at: 's', resource_type: 's', resource_id: 'i', state: 's', source_commit: 's', source_merge_request_id: 'i' };
const PROJECT: Shape = {
  id: 'i', creator_id: 'i', namespace: { id: 'i', kind: 's', parent_id: 'i' }, default_branch: 's', visibility: 's', archived: 'b', empty_repo: 'b',
  created_at: 's', updated_at: 's', last_activity_at: 's', forks_count: 'i', star_count: 'i', open_issues_count: 'i', issues_enabled: 'b', merge_requests_enabled: 'b',
};
const BRANCH: Shape = { name: 's', commit: COMMIT, merged: 'b', protected: 'b', default: 'b', developers_can_push: 'b', developers_can_merge: 'b', can_push: 'b' };
const GROUP_MEMBER: Shape = {
  ...USER, access_level: 'i', created_at: 's', expires_at: 's', is_using_seat: 'b', membership_state: 's',
  created_by: USER, group_saml_identity: { extern_uid: 's', provider: 's', saml_provider_id: 'i' },
};
const AUDIT_EVENT: Shape = {
  id: 'i', author_id: 'i', entity_id: 'i', entity_type: 's', event_name: 's', created_at: 's',
  details: { event_name: 's', author_email: 's', target_id: 'i', target_type: 's', add: 's', remove: 's', change: 's', from: 's', to: 's', ip_address: 's' },
};

/** The people fields of an issue or merge request at `at` (`$` for one, `$[*]` for a list). */
const PEOPLE = ['author', 'assignee', 'assignees[*]', 'closed_by', 'merged_by', 'merge_user', 'reviewers[*]', 'resolved_by', 'user', 'created_by'];
const people = (at: string) => pseudonymize(PEOPLE.flatMap((p) => ['id', 'username', 'email'].map((f) => `${at}.${p}.${f}`)));
const COMMIT_PEOPLE = (at: string) => pseudonymize([`${at}.author_email`, `${at}.committer_email`]);

const endpoint = (path: string, shape: Shape, transforms: string, params?: readonly string[]) => `
  - pathTemplate: /api/v4${path}${params ? `
    allowedQueryParams: ${list(params)}` : ''}${transforms ? `
    transforms:${transforms}` : ''}
    responseSchema: ${json(schema(shape))}`;

const CLOUD_ENDPOINTS = [
  endpoint('/groups', [{ id: 'i', parent_id: 'i', visibility: 's', created_at: 's' }], ''),
  endpoint('/groups/{id}/members/all', [GROUP_MEMBER], pseudonymize(['$[*].id', '$[*].username', '$[*].email', '$[*].created_by.id', '$[*].created_by.username', '$[*].group_saml_identity.extern_uid'])),
  // The plan and seat counts; the namespace's name and path go (a user namespace's path is the username).
  endpoint('/namespaces/{id}', { id: 'i', kind: 's', plan: 's', end_date: 's', trial: 'b', trial_ends_on: 's', billable_members_count: 'i', seats_in_use: 'i', max_seats_used: 'i' }, '', []),
  endpoint('/issues/{id}', ISSUE, people('$')),
  endpoint('/merge_requests/{id}', MERGE_REQUEST, people('$') + tokenize(['$.source_branch', '$.target_branch'])),
  endpoint('/projects', [PROJECT], pseudonymize(['$[*].creator_id']) + tokenize(['$[*].default_branch'])),
  endpoint('/projects/{id}/audit_events', [AUDIT_EVENT],
    pseudonymize(['$[*].author_id', '$[*].details.author_email', '$[*].details.from', '$[*].details.to', '$[?(@.details.target_type == \'User\')].details.target_id']) + hashIp(['$[*].details.ip_address'])),
  endpoint('/projects/{id}/issues/{issueIid}/notes', [NOTE], people('$[*]')),
  endpoint('/projects/{id}/issues/{issueIid}/resource_state_events', [STATE_EVENT], people('$[*]')),
  endpoint('/projects/{id}/merge_requests/{mergeRequestIid}/commits', [COMMIT], COMMIT_PEOPLE('$[*]')),
  endpoint('/projects/{id}/merge_requests/{mergeRequestIid}/notes', [NOTE], people('$[*]')),
  endpoint('/projects/{id}/merge_requests/{mergeRequestIid}/resource_state_events', [STATE_EVENT], people('$[*]')),
  endpoint('/projects/{id}/repository/branches', [BRANCH], COMMIT_PEOPLE('$[*].commit') + tokenize(['$[*].name'])),
  endpoint('/projects/{id}/repository/commits', [COMMIT], COMMIT_PEOPLE('$[*]')),
  endpoint('/projects/{id}/repository/commits/{sha}', COMMIT, COMMIT_PEOPLE('$')),
  endpoint('/projects/{id}/repository/commits/{sha}/discussions', [{ id: 's', individual_note: 'b', notes: [NOTE] }], people('$[*].notes[*]')),
  endpoint('/projects/{projectId}/issues', [ISSUE], people('$[*]')),
  endpoint('/projects/{projectId}/merge_requests', [MERGE_REQUEST], people('$[*]') + tokenize(['$[*].source_branch', '$[*].target_branch'])),
];

export const GITLAB_CLOUD_RULES_YAML = `
endpoints:${CLOUD_ENDPOINTS.join('')}
`;

/** An instance's user list (administrators see everyone): ids, state, flags and times; names, bios, links and identities go. */
const INSTANCE_USER: Shape = {
  ...USER, bot: 'b', external: 'b', is_admin: 'b', created_at: 's', last_sign_in_at: 's', last_activity_on: 's', current_sign_in_at: 's',
  confirmed_at: 's', two_factor_enabled: 'b', using_license_seat: 'b',
};

/**
 * Self-managed GitLab and GitLab Dedicated (\`SOURCE=gitlab-managed\`): GitLab.com's endpoints, plus
 * the instance's version, its user list (user ids reversible, so Worklytics can ask for a user's
 * emails with the token it got) and each user's email addresses, which an administrator's token reads.
 */
export const GITLAB_MANAGED_RULES_YAML = `
endpoints:${[
  ...CLOUD_ENDPOINTS,
  endpoint('/version', { version: 's', revision: 's', enterprise: 'b' }, '', []),
  endpoint('/users', [INSTANCE_USER], pseudonymizeReversible(['$[*].id']) + pseudonymize(['$[*].username', '$[*].email'])),
  endpoint('/users/{id}/emails', [{ id: 'i', email: 's', confirmed_at: 's' }], pseudonymize(['$[*].email'])),
].join('')}
`;
