/**
 * Anthropic connectors, all on api.anthropic.com with an admin key in `x-api-key`
 * (`claude_admin_api_key`, secret `ADMIN_API_KEY`): `claude` (Compliance API: users, chats,
 * messages, activities), `claude-code` (Admin API: Claude Code usage report and members) and
 * `claude-enterprise-analytics` (Enterprise Analytics API: per-user engagement, usage and cost).
 */
import type { Connector } from '../catalogue/connector.ts';
import { person, personalText, type FakeOrg, type FakePerson } from '../catalogue/fake-org.ts';
import { CLAUDE_CODE_RULES_YAML, CLAUDE_COMPLIANCE_RULES_YAML, CLAUDE_ENTERPRISE_ANALYTICS_RULES_YAML } from './rules.ts';

const ORG_UUID = '6f1b3c2a-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const CHAT = 'claude_chat_01HZX3Q9V7K2M8N4P6R0S2T4U6';
const SETTINGS = { TARGET_HOST: 'api.anthropic.com', SOURCE_AUTH_STRATEGY_IDENTIFIER: 'claude_admin_api_key' };

/** Anthropic user ids (`user_01…`), from the person's own id. */
const userId = (p: FakePerson) => `user_01${p.id.toUpperCase()}`;

const adminKeySetup = (what: string, role: string) => [
  `An admin of the Anthropic organization creates an admin key in the Claude Console (Settings → Admin keys) ${role};`,
  `the proxy sends it in the \`x-api-key\` header to ${what}. Anthropic's APIs also expect an \`anthropic-version\` header`,
  '(e.g. `2023-06-01`), which the rules let through. Admin keys do not expire until revoked.',
].join('\n');

export const CLAUDE: Connector = {
  id: 'claude',
  name: 'Claude (Compliance API)',
  family: 'anthropic',
  settings: SETTINGS,
  secrets: ['ADMIN_API_KEY'],
  sensitive: ['ADMIN_API_KEY'],
  setup: adminKeySetup('the Compliance API', 'with the `read:compliance_activities` and `read:compliance_user_data` scopes (the Compliance API must first be enabled for the organization)'),
  caveats: 'The Compliance API is available on Claude Enterprise plans only, after Anthropic enables it for the organization.',
  sanitizes: 'Users\' ids (reversible) and emails, the user on each chat and message, and every activity\'s actor become tokens; IP addresses are hashed; names, chat titles, message contents, file names, request bodies, URLs and user agents are redacted.',
  rules: { '': CLAUDE_COMPLIANCE_RULES_YAML },
  conformance: {},
  examples: [
    { name: 'List organizations', path: '/v1/compliance/organizations?limit=10',
      response: (org) => ({ data: [{ uuid: ORG_UUID, name: `${org.domain} Claude`, type: 'organization' }], has_more: false }) },
    { name: 'List organization users', path: `/v1/compliance/organizations/${ORG_UUID}/users?limit=10`,
      response: (org) => ({ data: org.people.map((p) => ({ id: userId(p), email: p.email, full_name: p.displayName, created_at: org.isoTime(365) })), has_more: false }) },
    { name: 'List chats', path: '/v1/compliance/apps/chats?limit=10',
      response: (org) => ({ data: org.people.slice(0, 3).map((p, n) => ({
        id: `${CHAT}${n}`, name: personalText(org, `Draft ${p.firstName}'s salary review`), created_at: org.isoTime(), updated_at: org.isoTime(),
        organization_id: ORG_UUID, project_id: 'claude_proj_01HZX3', user: { id: userId(p), email_address: p.email },
      })), has_more: false, first_id: `${CHAT}0`, last_id: `${CHAT}2` }) },
    { name: 'List chat messages', path: `/v1/compliance/apps/chats/${CHAT}0/messages?limit=20`,
      response: (org) => {
        const p = person(org, 0);
        return {
          id: `${CHAT}0`, name: personalText(org, `${p.lastName} performance notes`), created_at: org.isoTime(), model: 'claude-opus-4-1',
          organization_id: ORG_UUID, user: { id: userId(p), email_address: p.email },
          chat_messages: [
            { id: 'msg_01A', role: 'user', created_at: org.isoTime(), content: [{ type: 'text', text: personalText(org, `Summarize the complaint about ${person(org, 1).displayName}`) }],
              files: [{ id: 'file_01A', filename: personalText(org, `${p.lastName}-medical-note.pdf`), mime_type: 'application/pdf' }] },
            { id: 'msg_01B', role: 'assistant', created_at: org.isoTime(), content: [{ type: 'text', text: personalText(org, `${person(org, 1).firstName} was reported for missing deadlines`) }] },
          ],
        };
      } },
    { name: 'List activities', path: '/v1/compliance/activities?limit=10',
      response: (org) => ({ data: org.people.slice(0, 3).map((p, n) => ({
        id: `activity_0${n}`, created_at: org.isoTime(), type: 'claude_chat_created', organization_id: ORG_UUID, claude_chat_id: `${CHAT}${n}`,
        actor: { type: 'user_actor', email_address: p.email, user_id: userId(p), ip_address: `203.0.113.${10 + n}`,
          user_agent: personalText(org, `Mozilla/5.0 (${p.firstName}-laptop)`) },
      })), has_more: false }) },
  ],
};

function claudeCodeRow(org: FakeOrg, p: FakePerson) {
  return {
    date: '2026-09-30T00:00:00Z', organization_id: ORG_UUID, customer_type: 'subscription', subscription_type: 'enterprise', terminal_type: 'vscode',
    actor: { type: 'user_actor', email_address: p.email },
    core_metrics: { num_sessions: org.int(1, 9), lines_of_code: { added: org.int(10, 900), removed: org.int(0, 300) }, commits_by_claude_code: org.int(0, 5), pull_requests_by_claude_code: org.int(0, 2) },
    tool_actions: { edit_tool: { accepted: org.int(0, 40), rejected: org.int(0, 5) }, write_tool: { accepted: org.int(0, 10), rejected: 0 } },
    model_breakdown: [{ model: 'claude-sonnet-4-5', tokens: { input: org.int(1000, 90000), output: org.int(500, 20000), cache_read: 0, cache_creation: 0 }, estimated_cost: { currency: 'USD', amount: org.int(10, 900) } }],
  };
}

export const CLAUDE_CODE: Connector = {
  id: 'claude-code',
  name: 'Claude Code (Admin API)',
  family: 'anthropic',
  settings: SETTINGS,
  secrets: ['ADMIN_API_KEY'],
  sensitive: ['ADMIN_API_KEY'],
  setup: adminKeySetup('the Admin API\'s Claude Code usage report and member list', '(only organization admins can create one)'),
  caveats: 'The Admin API needs an organization in the Claude Console (Team, Enterprise or API plans); individual accounts have none.',
  sanitizes: 'Each usage row\'s actor (email, user id or API key id) and members\' ids and emails become tokens; API key names and members\' names are redacted.',
  rules: { '': CLAUDE_CODE_RULES_YAML },
  conformance: {},
  examples: [
    { name: 'Get Claude Code usage report', path: '/v1/organizations/usage_report/claude_code?starting_at=2026-09-30&limit=20',
      response: (org) => ({ data: [
        ...org.people.slice(0, 3).map((p) => claudeCodeRow(org, p)),
        { ...claudeCodeRow(org, person(org, 3)), customer_type: 'api', actor: { type: 'api_actor', api_key_name: personalText(org, `${person(org, 3).firstName}'s laptop key`) } },
      ], has_more: false, next_page: null }) },
    { name: 'List users', path: '/v1/organizations/users?limit=20',
      response: (org) => ({ data: org.people.map((p) => ({ id: userId(p), type: 'user', email: p.email, name: p.displayName, role: 'developer', added_at: org.isoTime(365) })),
        has_more: false, first_id: userId(person(org, 0)), last_id: userId(org.people[org.people.length - 1]) }) },
  ],
};

const analyticsActor = (p: FakePerson) => ({ type: 'user', user_id: userId(p), email: p.email, deleted: false });

export const CLAUDE_ENTERPRISE_ANALYTICS: Connector = {
  id: 'claude-enterprise-analytics',
  name: 'Claude Enterprise Analytics',
  family: 'anthropic',
  settings: SETTINGS,
  secrets: ['ADMIN_API_KEY'],
  sensitive: ['ADMIN_API_KEY'],
  setup: adminKeySetup('the Enterprise Analytics API', 'with the `read:analytics` scope (a Primary Owner first turns on the Analytics API for the organization)'),
  caveats: 'The Enterprise Analytics API is for Claude Enterprise plans; data is aggregated per day (UTC) and starts from when Anthropic began collecting it.',
  sanitizes: 'Users\' ids and emails (in engagement, usage and cost rows, and on chat projects) become tokens; project names, group names and people\'s names are redacted.',
  rules: { '': CLAUDE_ENTERPRISE_ANALYTICS_RULES_YAML },
  conformance: {},
  examples: [
    { name: 'List user activity', path: '/v1/organizations/analytics/users?date=2026-09-30&limit=20',
      response: (org) => ({ data: org.people.map((p) => ({
        user: { id: userId(p), email_address: p.email }, last_activity_date: '2026-09-30', rbac_group_id: 'grp_01', rbac_group_name: personalText(org, `${p.lastName} family office`),
        chat_metrics: { message_count: org.int(0, 80), distinct_conversation_count: org.int(0, 9), distinct_projects_used_count: org.int(0, 3) },
        claude_code_metrics: { core_metrics: { commit_count: org.int(0, 4), pull_request_count: org.int(0, 2), distinct_session_count: org.int(0, 6), lines_of_code: { added_count: org.int(0, 500), removed_count: org.int(0, 90) } } },
        web_search_count: org.int(0, 12),
      })), next_page: null }) },
    { name: 'Get user usage report', path: '/v1/organizations/analytics/user_usage_report?starting_at=2026-09-01&ending_at=2026-09-30&limit=20',
      response: (org) => ({ data: org.people.slice(0, 4).map((p) => ({ actor: analyticsActor(p), product: 'claude_code', model: 'claude-sonnet-4-5', requests: org.int(1, 300),
        uncached_input_tokens: org.int(1000, 90000), output_tokens: org.int(100, 20000), cache_read_input_tokens: 0, total_tokens: org.int(2000, 120000) })),
      has_more: false, next_page: null, organization_id: ORG_UUID }) },
    { name: 'Get user cost report', path: '/v1/organizations/analytics/user_cost_report?starting_at=2026-09-01&ending_at=2026-09-30&limit=20',
      response: (org) => ({ data: org.people.slice(0, 4).map((p) => ({ actor: analyticsActor(p), product: 'chat', model: 'claude-opus-4-1', cost_type: 'tokens', currency: 'USD', amount: `${org.int(1, 9000)}` })),
        has_more: false, next_page: null, organization_id: ORG_UUID }) },
    { name: 'List chat projects', path: '/v1/organizations/analytics/apps/chat/projects?date=2026-09-30&limit=20',
      response: (org) => {
        const p = person(org, 2);
        return { data: [{ project_id: 'claude_proj_01HZX3', project_name: personalText(org, `${p.displayName} visa paperwork`), created_at: org.isoTime(),
          created_by: { id: userId(p), email_address: p.email }, distinct_user_count: 2, distinct_conversation_count: 5, message_count: 41 }], next_page: null };
      } },
  ],
};

export const ANTHROPIC_CONNECTORS: readonly Connector[] = [CLAUDE, CLAUDE_CODE, CLAUDE_ENTERPRISE_ANALYTICS];
