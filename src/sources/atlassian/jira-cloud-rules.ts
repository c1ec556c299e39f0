/**
 * Built-in rules for Jira Cloud (`SOURCE=jira-cloud`, through `api.atlassian.com/ex/jira/{cloudId}`),
 * written for this project to have the effect of psoxy v0.6.9's `jira-cloud.yaml`: people's
 * `accountId` and email become tokens; names, avatars, summaries, descriptions, comment and worklog
 * texts are redacted; issues keep only the fields of the issue schema.
 */
import { issueShape } from './issue-schema.ts';
import { schema } from '../catalogue/response-schema.ts';
import { list, pseudonymize, redact } from '../catalogue/rules-yaml.ts';
import { ACCESSIBLE_RESOURCES_ENDPOINT } from './cloud.ts';

const PAGED = ['startAt', 'maxResults'];
const ISSUE = schema(issueShape('accountId'));
const SEARCH = schema({ isLast: 'b', maxResults: 'i', nextPageToken: 's', total: 'i' }) as { properties: Record<string, object> };
SEARCH.properties.issues = { type: 'array', items: ISSUE };
const json = (v: unknown) => JSON.stringify(v);


/** Under an issue (or each of a page of them): who, in accountId, email and rich-text mention ids. */
const issueRedactions = (at: string) => [`${at}..description`, `${at}..iconUrl`, `${at}..name`, `${at}..avatarUrls`, `${at}.fields..self`, `${at}..displayName`, `${at}..comment`];
const issuePeople = (at: string) => [`${at}..accountId`, `${at}..emailAddress`, `${at}..body..id`];

export const JIRA_CLOUD_RULES_YAML = `
endpoints:
  - pathTemplate: /ex/jira/{cloudId}/rest/api/{apiVersion}/group/bulk
    allowedQueryParams: ${list(PAGED)}
    transforms:${redact(['$..name'])}
  - pathTemplate: /ex/jira/{cloudId}/rest/api/{apiVersion}/group/member
    allowedQueryParams: ${list([...PAGED, 'groupId', 'groupName', 'includeInactiveUsers'])}
    transforms:${redact(['$.values[*].self', '$.values[*].avatarUrls', '$.values[*].displayName', '$.values[*].name'])}${pseudonymize(['$.values[*].accountId', '$.values[*].emailAddress'])}
  # Issue search (the JQL search that replaced /search in 2025).
  - pathTemplate: /ex/jira/{cloudId}/rest/api/3/search/jql
    allowedQueryParams: [jql, fields, nextPageToken, maxResults]
    transforms:${redact([...issueRedactions('$.issues[*]'), '$..displayName'])}${pseudonymize(issuePeople('$.issues[*]'))}
    responseSchema: ${json(SEARCH)}
  - pathTemplate: /ex/jira/{cloudId}/rest/api/{apiVersion}/issue/{issueId}/changelog
    allowedQueryParams: ${list(PAGED)}
    transforms:${redact(['$.values[*]..avatarUrls', '$.values[*]..self', '$.values[*]..displayName', ...['from', 'to', 'fromString', 'toString'].map((f) => `$.values[*].items[*].${f}`)])}${pseudonymize(['accountId', 'emailAddress', 'tmpFromAccountId', 'tmpToAccountId'].map((f) => `$.values[*]..${f}`))}
  - pathTemplate: /ex/jira/{cloudId}/rest/api/3/issue/{issueId}/comment
    allowedQueryParams: ${list(PAGED)}
    transforms:${redact(['$.comments[*]..avatarUrls', '$.comments[*].author..self', '$.comments[*].updateAuthor..self', '$.comments[*]..displayName', '$.comments[*]..text', '$.comments[*]..renderedBody'])}${pseudonymize(['$.comments[*]..accountId', '$.comments[*].body..id', '$.comments[*]..emailAddress'])}
  - pathTemplate: /ex/jira/{cloudId}/rest/api/3/issue/{issueId}/worklog
    allowedQueryParams: ${list(PAGED)}
    transforms:${redact(['$.worklogs[*]..avatarUrls', '$.worklogs[*].author..self', '$.worklogs[*].updateAuthor..self', '$.worklogs[*]..displayName', '$.worklogs[*]..text', '$.worklogs[*]..summary'])}${pseudonymize(['$.worklogs[*]..accountId', '$.worklogs[*]..emailAddress', '$.worklogs[*]..comment..id'])}
  - pathTemplate: /ex/jira/{cloudId}/rest/api/3/issue/{issueId}
    allowedQueryParams: [fields]
    transforms:${redact([...issueRedactions('$'), '$..attachment[*]..filename', '$..attachment[*]..content', '$..summary'])}${pseudonymize(issuePeople('$'))}
    responseSchema: ${json(ISSUE)}
  - pathTemplate: /ex/jira/{cloudId}/rest/api/{apiVersion}/users
    allowedQueryParams: ${list(PAGED)}
    transforms:${redact(['$..self', '$..avatarUrls', '$..displayName'])}${pseudonymize(['$..accountId', '$..emailAddress'])}
  - pathTemplate: /ex/jira/{cloudId}/rest/api/{apiVersion}/project/search
    allowedQueryParams: ${list(PAGED)}
    transforms:${redact(['avatarUrls', 'self', 'displayName', 'leadUserName', 'description'].map((f) => `$.values[*]..${f}`))}${pseudonymize(['accountId', 'emailAddress', 'email', 'leadAccountId'].map((f) => `$.values[*]..${f}`))}
${ACCESSIBLE_RESOURCES_ENDPOINT}
`;
