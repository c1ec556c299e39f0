/**
 * OpenAI's ChatGPT Enterprise connectors on api.chatgpt.com: `chatgpt-enterprise` (Compliance API)
 * and `codex-enterprise-analytics` (Codex Analytics API). Both take an OpenAI Platform API key that
 * OpenAI support narrows to one read scope, sent as a bearer token (`oauth2_access_token`).
 */
import type { Connector } from '../catalogue/connector.ts';
import { person, personalText, type FakeOrg, type FakePerson } from '../catalogue/fake-org.ts';
import { CHATGPT_ENTERPRISE_RULES_YAML, CODEX_ENTERPRISE_ANALYTICS_RULES_YAML } from './rules.ts';

const WORKSPACE_ID = '3f2a9c1e-7b4d-4e8a-9c61-2d5f0b8e7a13';
const CONVERSATION = 'conv_68a1f0c2e4b7';
const SETTINGS = { TARGET_HOST: 'api.chatgpt.com', SOURCE_AUTH_STRATEGY_IDENTIFIER: 'oauth2_access_token' };
const START = 1788220800; // 2026-09-01T00:00:00Z, in the Unix seconds these APIs take
const END = START + 30 * 86400;

/** ChatGPT user ids (`user-…`), from the person's own id; recorded as personal so the leak test looks for them. */
const userId = (org: FakeOrg, p: FakePerson) => personalText(org, `user-${p.id}`);
const list = (data: unknown[]) => ({ object: 'list', data, has_more: false, last_id: null });

/** Creating the key is the same for both APIs; only the scope OpenAI grants differs. */
const platformKeySetup = (scope: string, api: string) => [
  'An owner of the OpenAI organization that administers the ChatGPT workspace (not a personal organization) creates a new',
  `secret key at https://platform.openai.com/settings/organization/api-keys, copies it at once (it is shown only once), and`,
  `emails support@openai.com the key's last 4 characters, its name and its creator's name, asking for the \`${scope}\` scope`,
  `of the ${api}. Once granted, every other scope of the key is revoked, so use a key made for this alone. OpenAI calls it`,
  'an API key; the proxy sends it as a bearer token, hence the secret\'s name. The workspace id (ChatGPT admin console →',
  'workspace settings) goes in the paths of the calls.',
].join('\n');

export const CHATGPT_ENTERPRISE: Connector = {
  id: 'chatgpt-enterprise',
  name: 'ChatGPT Enterprise (Compliance API)',
  family: 'chatgpt',
  // The Compliance API answers some exports with a redirect to a file the proxy must not fetch itself.
  settings: { ...SETTINGS, FOLLOW_REDIRECTS: 'false' },
  secrets: ['ACCESS_TOKEN'],
  sensitive: ['ACCESS_TOKEN'],
  setup: platformKeySetup('read', 'Compliance API'),
  caveats: 'The Compliance API is for ChatGPT Enterprise (and Edu) workspaces only, after OpenAI grants the key its scope.',
  sanitizes: 'Users\' ids (reversible) and emails, the user of each conversation, message and automation, and GPT owners and sharing recipients become tokens; names, conversation titles, message contents, file names, automation titles and prompts, and GPT names, descriptions, instructions and conversation starters are redacted.',
  rules: { '': CHATGPT_ENTERPRISE_RULES_YAML },
  conformance: {},
  // psoxy's connector list names the Compliance API connector `chatgpt`.
  aliases: ['chatgpt'],
  examples: [
    { name: 'List workspace users', path: `/v1/compliance/workspaces/${WORKSPACE_ID}/users?limit=50`,
      response: (org) => list(org.people.map((p, n) => ({ object: 'compliance.workspace.user', id: userId(org, p), email: p.email, name: p.displayName,
        created_at: START - org.int(0, 9e6), role: n === 0 ? 'account-owner' : 'standard-user', status: 'active' }))) },
    { name: 'List conversations', path: `/v1/compliance/workspaces/${WORKSPACE_ID}/conversations?since_timestamp=${START}&limit=20`,
      response: (org) => list(org.people.slice(0, 3).map((p, n) => ({ object: 'compliance.workspace.conversation', id: `${CONVERSATION}${n}`,
        workspace_id: WORKSPACE_ID, user_id: userId(org, p), user_email: p.email, created_at: START + org.int(0, 86400), last_active_at: END - org.int(0, 86400),
        title: personalText(org, `Severance terms for ${p.firstName} ${p.lastName}`) }))) },
    { name: 'List conversation messages', path: `/v1/compliance/workspaces/${WORKSPACE_ID}/conversations/${CONVERSATION}0/messages?limit=50`,
      response: (org) => {
        const [p, other] = [person(org, 0), person(org, 1)];
        return list([
          { object: 'compliance.workspace.message', id: 'msg_01', created_at: START + 60, user_id: userId(org, p), user_email: p.email, parent_id: null, gpt_id: null, project_id: null,
            author: { object: 'compliance.workspace.message.author', role: 'user' },
            content: { object: 'compliance.workspace.message.content', type: 'text', value: personalText(org, `Draft a warning letter to ${other.displayName} about lateness`) },
            files: [{ object: 'compliance.workspace.file', id: 'file_01', created_at: START + 50, name: personalText(org, `${other.lastName}-attendance.xlsx`) }] },
          { object: 'compliance.workspace.message', id: 'msg_02', created_at: START + 75, parent_id: 'msg_01', gpt_id: null, project_id: null,
            author: { object: 'compliance.workspace.message.author', role: 'assistant' },
            content: { object: 'compliance.workspace.message.content', type: 'text', value: personalText(org, `Dear ${other.firstName}, this letter concerns your attendance`) }, files: [] },
        ]);
      } },
    { name: 'List projects and GPTs', path: `/v1/compliance/workspaces/${WORKSPACE_ID}/projects?limit=20`,
      response: (org) => {
        const [owner, guest] = [person(org, 2), person(org, 3)];
        return list([{ object: 'compliance.workspace.project', id: 'g-p-68a1f0c2', created_at: START, owner_id: userId(org, owner), owner_email: owner.email,
          builder_name: owner.displayName,
          latest_config: { object: 'list', data: [{ object: 'compliance.workspace.project.config', id: 'gzm_cnf_01', created_at: START,
            name: personalText(org, `${owner.lastName} hiring assistant`), description: personalText(org, `Screens candidates for ${owner.firstName}'s team`),
            instructions: personalText(org, `Always copy ${guest.email} on offers`), conversation_starters: [personalText(org, `Rank the applicants ${guest.firstName} shortlisted`)],
            categories: ['productivity'], tools: [{ type: 'browser', created_at: START }], files: [{ object: 'compliance.workspace.file', id: 'file_02', created_at: START }] }] },
          sharing: { object: 'compliance.workspace.project.sharing', visibility: 'invite_only',
            recipients: [{ object: 'compliance.workspace.project.recipient', id: userId(org, guest), email: guest.email, permissions: { can_read: true, can_write: false, can_view_config: true } }] } }]);
      } },
    { name: 'List automations', path: `/v1/compliance/workspaces/${WORKSPACE_ID}/automations?limit=20`,
      response: (org) => list(org.people.slice(0, 2).map((p, n) => ({ object: 'compliance.workspace.automation', id: `auto_0${n}`, user_id: userId(org, p), user_email: p.email,
        title: personalText(org, `Remind ${p.firstName} about the custody hearing`), prompt: personalText(org, `Every Monday list ${p.displayName}'s unanswered emails`),
        schedule: 'RRULE:FREQ=WEEKLY;BYDAY=MO', is_enabled: true }))) },
  ],
};

const actor = (org: FakeOrg, p: FakePerson) => ({ type: 'user', user_id: userId(org, p), email: p.email });
const day = (n: number) => ({ start_time: START + n * 86400, end_time: START + (n + 1) * 86400 });
const analyticsPage = (data: unknown[]) => ({ object: 'page', data, has_more: false, next_page: null });

export const CODEX_ENTERPRISE_ANALYTICS: Connector = {
  id: 'codex-enterprise-analytics',
  name: 'Codex Enterprise Analytics',
  family: 'chatgpt',
  settings: SETTINGS,
  secrets: ['ACCESS_TOKEN'],
  sensitive: ['ACCESS_TOKEN'],
  setup: platformKeySetup('codex.enterprise.analytics.read', 'Codex Analytics API'),
  caveats: 'Codex analytics are for ChatGPT Enterprise (and Edu) workspaces; the API looks back at most 90 days.',
  sanitizes: 'The user (id and email) of every usage, code-review and code-review-response row becomes a token; pull request titles and users\' names are redacted.',
  rules: { '': CODEX_ENTERPRISE_ANALYTICS_RULES_YAML },
  conformance: {},
  examples: [
    { name: 'Get Codex usage', path: `/v1/analytics/codex/workspaces/${WORKSPACE_ID}/usage?start_time=${START}&end_time=${END}&group_by=day`,
      response: (org) => analyticsPage(org.people.slice(0, 4).map((p, n) => ({ ...day(n), actor: actor(org, p),
        totals: { threads: org.int(1, 20), turns: org.int(5, 200), credits: org.int(0, 900) },
        clients: [{ client_id: org.pick(['cli', 'vscode', 'web']), threads: org.int(1, 9), turns: org.int(1, 90), credits: org.int(0, 400),
          uncached_text_input_tokens: org.int(1000, 90000), cached_text_input_tokens: org.int(0, 40000), text_output_tokens: org.int(100, 20000) }],
        models: [{ model: 'gpt-5-codex', credits: org.int(0, 400), speed: 'standard' }] }))) },
    { name: 'Get Codex code reviews', path: `/v1/analytics/codex/workspaces/${WORKSPACE_ID}/code_reviews?start_time=${START}&end_time=${END}`,
      response: (org) => analyticsPage(org.people.slice(0, 2).map((p, n) => ({ ...day(n), actor: actor(org, p), pull_requests_reviewed: org.int(1, 12),
        pull_request_title: personalText(org, `Fix payroll export for ${p.lastName}`),
        comments: { total: org.int(0, 30), p0: org.int(0, 2), p1: org.int(0, 6), p2: org.int(0, 20) } }))) },
    { name: 'Get Codex code review responses', path: `/v1/analytics/codex/workspaces/${WORKSPACE_ID}/code_review_responses?start_time=${START}&end_time=${END}`,
      response: (org) => analyticsPage(org.people.slice(0, 3).map((p, n) => ({ ...day(n), actor: actor(org, p),
        replies: org.int(0, 9), upvotes: org.int(0, 9), downvotes: org.int(0, 3) }))) },
  ],
};

export const CHATGPT_CONNECTORS: readonly Connector[] = [CHATGPT_ENTERPRISE, CODEX_ENTERPRISE_ANALYTICS];
