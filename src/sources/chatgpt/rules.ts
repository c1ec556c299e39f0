/**
 * Built-in rules for OpenAI's ChatGPT APIs on api.chatgpt.com, written for this project from
 * OpenAI's Compliance and Codex Analytics API references and psoxy's rules for the same SOURCEs as
 * facts: `chatgpt-enterprise` (Compliance API: users, conversations, messages, projects/GPTs,
 * automations) and `codex-enterprise-analytics` (Codex usage and code-review analytics). Every
 * email and user id becomes a token and free text goes.
 *
 * Beyond psoxy: conversation titles, message contents, automation prompts and GPT instructions are
 * redacted where psoxy keeps a digest of them (a digest of a prompt is of no use to Worklytics and
 * still identifies it); user ids, the builder's name and file names are handled too. psoxy's
 * `chatgpt-enterprise` rules match `/compliance/…` while its example calls go to `/v1/compliance/…`;
 * ours match the paths the calls use.
 */
import { list, pseudonymize, pseudonymizeReversible, redact } from '../catalogue/rules-yaml.ts';

const WORKSPACE = '/v1/compliance/workspaces/{workspaceId}';
const PAGED = ['after', 'limit'];

export const CHATGPT_ENTERPRISE_RULES_YAML = `
endpoints:
  # The directory: user ids reversible tokens (conversation listings filter by them), emails tokens, names gone.
  - pathTemplate: ${WORKSPACE}/users
    allowedQueryParams: ${list(PAGED)}
    transforms:${redact(['$.data[*].name', '$.data[*].display_name'])}${pseudonymize(['$.data[*].email'])}${pseudonymizeReversible(['$.data[*].id'])}
  - pathTemplate: ${WORKSPACE}/conversations
    allowedQueryParams: ${list([...PAGED, 'since_timestamp', 'users', 'file_format'])}
    transforms:${redact(['$.data[*].title', '$.data[*].messages'])}${pseudonymize(['$.data[*].user_email', '$.data[*].user_id'])}
  - pathTemplate: ${WORKSPACE}/conversations/{conversationId}/messages
    allowedQueryParams: ${list(PAGED)}
    transforms:${redact(['$.data[*].content', '$.data[*].files[*].name', '$.data[*].author.name'])}${pseudonymize(['$.data[*].user_email', '$.data[*].user_id', '$.data[*].author.id'])}
  # Projects and custom GPTs: who owns and who shares them stay (as tokens); what they say goes.
  - pathTemplate: ${WORKSPACE}/projects
    allowedQueryParams: ${list(PAGED)}
    transforms:${redact(['$.data[*].builder_name', '$.data[*].latest_config..name', '$.data[*].latest_config..description', '$.data[*].latest_config..instructions', '$.data[*].latest_config..conversation_starters'])}${pseudonymize(['$.data[*].owner_email', '$.data[*].owner_id', '$.data[*].sharing.recipients[*].email', '$.data[*].sharing.recipients[*].id'])}
  - pathTemplate: ${WORKSPACE}/automations
    allowedQueryParams: ${list(PAGED)}
    transforms:${redact(['$.data[*].title', '$.data[*].prompt'])}${pseudonymize(['$.data[*].user_email', '$.data[*].user_id'])}
`;

const ANALYTICS = '/v1/analytics/codex/workspaces/{workspaceId}';
const ANALYTICS_PARAMS = ['start_time', 'end_time', 'group_by', 'group', 'limit', 'page'];
/** Rows name a user as `actor` (`user_id`, `email`); workspace-wide rows have none. */
const ACTOR = ['$.data[*].actor.user_id', '$.data[*].actor.email'];

export const CODEX_ENTERPRISE_ANALYTICS_RULES_YAML = `
endpoints:
  - pathTemplate: ${ANALYTICS}/usage
    allowedQueryParams: ${list(ANALYTICS_PARAMS)}
    transforms:${redact(['$.data[*].actor.name'])}${pseudonymize(ACTOR)}
  - pathTemplate: ${ANALYTICS}/code_reviews
    allowedQueryParams: ${list(ANALYTICS_PARAMS)}
    transforms:${redact(['$.data[*].actor.name', '$.data[*].pull_request_title'])}${pseudonymize(ACTOR)}
  - pathTemplate: ${ANALYTICS}/code_review_responses
    allowedQueryParams: ${list(ANALYTICS_PARAMS)}
    transforms:${redact(['$.data[*].actor.name'])}${pseudonymize(ACTOR)}
`;
