/**
 * Built-in rules for Anthropic's APIs, written for this project from Anthropic's API references and
 * psoxy's rules for the same SOURCEs as facts: `claude` (Compliance API), `claude-code` (Admin API
 * Claude Code usage report and members) and `claude-enterprise-analytics` (Enterprise Analytics API).
 * Every email and user id becomes a token, IP addresses are hashed, and free text goes.
 *
 * Beyond psoxy: chat titles, project names, file names and people's names are redacted (psoxy's
 * `claude` rules pass chat and file names through, and its analytics rules a project's name), and
 * message texts are redacted where psoxy keeps a digest of them: a digest of a prompt is of no use
 * to Worklytics and still identifies it.
 */
import { hashIp, list, pseudonymize, pseudonymizeReversible, redact } from '../catalogue/rules-yaml.ts';

const CREATED_AT = ['created_at.gte', 'created_at.gt', 'created_at.lte', 'created_at.lt'];
const CURSOR = ['after_id', 'before_id', 'limit'];
const VERSION_HEADER = `
    allowedRequestHeaders: ["anthropic-version"]`;

/** An actor of an activity or usage row: a user (email, id) or an API key (id, name). */
const actor = (at: string) => ['email_address', 'email', 'user_id', 'unauthenticated_email_address', 'api_key_id'].map((k) => `${at}.actor.${k}`);

export const CLAUDE_COMPLIANCE_RULES_YAML = `
endpoints:
  - pathTemplate: /v1/compliance/organizations
    allowedQueryParams: ["page", "limit"]${VERSION_HEADER}
  # The directory: user ids reversible tokens (later calls filter by them), emails tokens, names gone.
  - pathTemplate: /v1/compliance/organizations/{organizationUuid}/users
    allowedQueryParams: ["page", "limit"]${VERSION_HEADER}
    transforms:${redact(['$.data[*].full_name', '$.data[*].name'])}${pseudonymize(['$.data[*].email', '$.data[*].email_address'])}${pseudonymizeReversible(['$.data[*].id'])}
  - pathTemplate: /v1/compliance/activities
    allowedQueryParams: ${list([...CURSOR, 'organization_ids[]', 'actor_ids[]', 'activity_types[]', ...CREATED_AT])}${VERSION_HEADER}
    transforms:${redact(['$.data[*].request_body', '$.data[*].url', '$.data[*].actor.user_agent', '$.data[*].actor.api_key_name', '$.data[*]..name', '$.data[*]..filename'])}${pseudonymize(actor('$.data[*]'))}${hashIp(['$..ip_address'])}
  - pathTemplate: /v1/compliance/apps/chats
    allowedQueryParams: ${list([...CURSOR, 'organization_ids[]', 'project_ids[]', 'user_ids[]', ...CREATED_AT, 'updated_at.gte', 'updated_at.gt', 'updated_at.lte', 'updated_at.lt'])}${VERSION_HEADER}
    transforms:${redact(['$.data[*].name', '$.data[*].summary'])}${pseudonymize(['$.data[*].user.id', '$.data[*].user.email_address', '$.data[*].user.email'])}
  - pathTemplate: /v1/compliance/apps/chats/{chatId}/messages
    allowedQueryParams: ${list([...CURSOR, 'order'])}${VERSION_HEADER}
    transforms:${redact(['$.name', '$.summary', '$.chat_messages[*].content', '$.chat_messages[*]..filename'])}${pseudonymize(['$.user.id', '$.user.email_address', '$.user.email', '$.user.unauthenticated_email_address'])}${hashIp(['$..ip_address'])}
`;

export const CLAUDE_CODE_RULES_YAML = `
endpoints:
  - pathTemplate: /v1/organizations/usage_report/claude_code
    allowedQueryParams: ["starting_at", "ending_at", "page", "limit"]${VERSION_HEADER}
    transforms:${redact(['$.data[*].actor.api_key_name'])}${pseudonymize(actor('$.data[*]'))}${hashIp(['$..ip_address'])}
  - pathTemplate: /v1/organizations/users
    allowedQueryParams: ["after_id", "before_id", "limit", "email"]${VERSION_HEADER}
    transforms:${redact(['$.data[*].name'])}${pseudonymize(['$.data[*].id', '$.data[*].email'])}
`;

const ANALYTICS_REPORT_PARAMS = ['starting_at', 'ending_at', 'page', 'limit', 'products[]', 'models[]', 'user_ids[]', 'group_by[]', 'order', 'order_by'];

export const CLAUDE_ENTERPRISE_ANALYTICS_RULES_YAML = `
endpoints:
  - pathTemplate: /v1/organizations/analytics/users
    allowedQueryParams: ["date", "page", "limit"]${VERSION_HEADER}
    transforms:${redact(['$.data[*].user.name', '$.data[*].rbac_group_name'])}${pseudonymize(['$.data[*].user.id', '$.data[*].user.email_address'])}
  - pathTemplate: /v1/organizations/analytics/user_usage_report
    allowedQueryParams: ${list(ANALYTICS_REPORT_PARAMS)}${VERSION_HEADER}
    transforms:${pseudonymize(['$.data[*].actor.user_id', '$.data[*].actor.email'])}
  - pathTemplate: /v1/organizations/analytics/user_cost_report
    allowedQueryParams: ${list(ANALYTICS_REPORT_PARAMS)}${VERSION_HEADER}
    transforms:${pseudonymize(['$.data[*].actor.user_id', '$.data[*].actor.email'])}
  - pathTemplate: /v1/organizations/analytics/apps/chat/projects
    allowedQueryParams: ["date", "page", "limit"]${VERSION_HEADER}
    transforms:${redact(['$.data[*].project_name', '$.data[*].created_by.name'])}${pseudonymize(['$.data[*].created_by.id', '$.data[*].created_by.email_address'])}
`;
