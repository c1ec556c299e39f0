/**
 * Built-in rules for Jira Server / Data Center (`SOURCE=jira-server`, the instance's own host),
 * written for this project to have the effect of psoxy v0.6.9's `jira-server.yaml`: people's `key`
 * (`JIRAUSER10000`) and email become tokens; names, avatars, summaries, descriptions, comment bodies
 * and change values are redacted; issues keep only the fields of the issue schema.
 *
 * Beyond psoxy: on a single issue, the assignee's and watchers' key and email become tokens too;
 * psoxy pseudonymizes only authors, creator, reporter and update authors there, and its schema keeps
 * the others as they are. Known psoxy quirk kept (its search example expects it): search
 * pseudonymizes every `key` under an issue, so issue keys (`PROJ-12`) come out as tokens as well.
 */
import { issueShape } from './issue-schema.ts';
import { schema } from '../catalogue/response-schema.ts';
import { list, pseudonymize, redact } from '../catalogue/rules-yaml.ts';

const PAGED = ['startAt', 'maxResults'];
const ISSUE = schema(issueShape('key'));
const SEARCH = schema({ maxResults: 'i', startAt: 'i', total: 'i' }) as { properties: Record<string, object> };
SEARCH.properties.issues = { type: 'array', items: ISSUE };
const json = (v: unknown) => JSON.stringify(v);

const identities = (who: readonly string[]) => who.flatMap((w) => [`$..${w}..key`, `$..${w}..emailAddress`]);

export const JIRA_SERVER_RULES_YAML = `
endpoints:
  - pathTemplate: /rest/api/{apiVersion}/search
    allowedQueryParams: ${list([...PAGED, 'jql', 'fields'])}
    transforms:${redact([...['description', 'iconUrl', 'name', 'avatarUrls', 'displayName', 'body', 'comment'].map((f) => `$.issues[*]..${f}`), '$..displayName'])}${pseudonymize(['$.issues[*]..key', '$.issues[*]..emailAddress'])}
    responseSchema: ${json(SEARCH)}
  - pathTemplate: /rest/api/{apiVersion}/issue/{issueId}/comment
    allowedQueryParams: ${list(PAGED)}
    transforms:${redact(['$.comments[*]..avatarUrls', '$.comments[*].author..self', '$.comments[*].updateAuthor..self', ...['displayName', 'name', 'text', 'body', 'renderedBody'].map((f) => `$.comments[*]..${f}`)])}${pseudonymize(['$.comments[*]..key', '$.comments[*]..emailAddress'])}
  - pathTemplate: /rest/api/{apiVersion}/issue/{issueId}/worklog
    allowedQueryParams: ${list(PAGED)}
    transforms:${redact(['$.worklogs[*]..avatarUrls', '$.worklogs[*].author..self', '$.worklogs[*].updateAuthor..self', ...['displayName', 'name', 'comment', 'summary'].map((f) => `$.worklogs[*]..${f}`)])}${pseudonymize(['$.worklogs[*]..key', '$.worklogs[*]..emailAddress'])}
  - pathTemplate: /rest/api/{apiVersion}/issue/{issueId}
    allowedQueryParams: ${list([...PAGED, 'expand', 'fields'])}
    transforms:${redact([...['self', 'description', 'iconUrl', 'name', 'avatarUrls', 'displayName', 'body', 'comment', 'from', 'to', 'fromString', 'toString', 'summary'].map((f) => `$..${f}`), '$..attachment[*]..filename', '$..attachment[*]..content'])}${pseudonymize(identities(['author', 'creator', 'reporter', 'updateAuthor', 'assignee', 'watchers[*]']))}
    responseSchema: ${json(ISSUE)}
  - pathTemplate: /rest/api/{apiVersion}/project
    allowedQueryParams: ${list([...PAGED, 'expand', 'includeArchived'])}
    transforms:${redact(['avatarUrls', 'self', 'displayName', 'leadUserName', 'description'].map((f) => `$..${f}`))}${pseudonymize(identities(['lead', 'assignee', 'realAssignee', 'user']))}
  - pathTemplate: /rest/api/{apiVersion}/user/search
    allowedQueryParams: ${list([...PAGED, 'username', 'includeActive', 'includeInactive'])}
    transforms:${redact(['$..self', '$..avatarUrls', '$..displayName', '$..name', '$..attachment[*]..filename', '$..attachment[*]..content'])}${pseudonymize(['$..key', '$..emailAddress'])}
`;
