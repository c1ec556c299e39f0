/**
 * Built-in rules for Confluence Cloud (`SOURCE=confluence-cloud`, through
 * `api.atlassian.com/ex/confluence/{cloudId}`), written for this project to the effect of psoxy's
 * `confluence.yaml`: who wrote, created, was assigned or completed what becomes a token; response
 * schemas keep only ids, types, statuses, version numbers and times.
 *
 * Beyond psoxy: page, blog post, comment and attachment titles, version messages, space descriptions
 * and content bodies are dropped, where psoxy keeps a digest of their words (a title's words say what
 * the page is about); personal spaces' keys (`~<accountId>`) become tokens; site URLs in `_links`
 * never pass.
 */
import { schema, type Shape } from '../catalogue/response-schema.ts';
import { list, pseudonymize, redact } from '../catalogue/rules-yaml.ts';
import { ACCESSIBLE_RESOURCES_ENDPOINT } from './cloud.ts';

const json = (v: unknown) => JSON.stringify(v);
const CURSOR = ['limit', 'cursor'];
const OFFSET = ['start', 'limit', 'next'];

/** A page of results, v2 (cursor in `_links.next`) and v1 (`start`, `size`) alike. */
const page = (item: Shape) => json(schema({ _links: { next: 's' }, limit: 'i', results: [item], size: 'i', start: 'i' }));

const parent: Shape = { id: 's' };
const VERSION: Shape = { attachment: parent, authorId: 's', blogpost: parent, comment: parent, createdAt: 's', minorEdit: 'b', number: 'i', page: parent };
const SPACE: Shape = { authorId: 's', createdAt: 's', homepageId: 's', id: 's', key: 's', spaceOwnerId: 's', status: 's', type: 's' };
const TASK: Shape = {
  assignedTo: 's', blogPostId: 's', completedAt: 's', completedBy: 's', createdAt: 's', createdBy: 's', dueAt: 's',
  id: 's', localId: 's', pageId: 's', spaceId: 's', status: 's', updatedAt: 's',
};
const USER: Shape = { accountId: 's', accountStatus: 's', accountType: 's', email: 's', externalCollaborator: 'b', isExternalCollaborator: 'b', type: 's' };
const CONTENT_VERSION: Shape = { by: USER, minorEdit: 'b', number: 'i', when: 's' };
const CONTENT: Shape = {
  ancestors: [{ id: 's', status: 's', type: 's' }], history: { createdBy: USER, createdDate: 's', previousVersion: CONTENT_VERSION },
  id: 's', status: 's', type: 's', version: CONTENT_VERSION,
};

/** Content kinds whose versions the v2 API lists, by path segment. */
const VERSIONED = [['attachments', 'attachmentId'], ['blogposts', 'blogpostId'], ['custom-content', 'customContentId'], ['footer-comments', 'commentId'], ['inline-comments', 'commentId'], ['pages', 'pageId']];

const versionsEndpoint = ([kind, id]: string[]) => `
  - pathTemplate: /ex/confluence/{cloudId}/wiki/api/{version}/${kind}/{${id}}/versions
    allowedQueryParams: ${list([...CURSOR, 'sort'])}
    transforms:${redact(['$.results[*].message', '$.results[*]..title', '$.results[*]..body'])}${pseudonymize(['$.results[*].authorId'])}
    responseSchema: ${page(VERSION)}`;

export const CONFLUENCE_CLOUD_RULES_YAML = `
endpoints:${VERSIONED.map(versionsEndpoint).join('')}
  - pathTemplate: /ex/confluence/{cloudId}/wiki/api/{version}/spaces
    allowedQueryParams: ${list([...CURSOR, 'type', 'status', 'sort'])}
    transforms:${redact(['$.results[*].name', '$.results[*].description', '$.results[*].icon'])}${pseudonymize(['$.results[*].authorId', '$.results[*].spaceOwnerId', '$.results[?(@.type == \'personal\')].key'])}
    responseSchema: ${page(SPACE)}
  - pathTemplate: /ex/confluence/{cloudId}/wiki/api/{version}/tasks
    allowedQueryParams: ${list([...CURSOR, 'status', 'created-at-from', 'created-at-to', 'completed-at-from', 'completed-at-to', 'due-at-from', 'due-at-to'])}
    transforms:${redact(['$.results[*]..body'])}${pseudonymize(['$.results[*].assignedTo', '$.results[*].completedBy', '$.results[*].createdBy'])}
    responseSchema: ${page(TASK)}
  - pathTemplate: /ex/confluence/{cloudId}/wiki/rest/api/content/search
    allowedQueryParams: ${list([...OFFSET, 'cql', 'cqlcontext', 'expand', 'cursor', 'includeArchivedSpaces'])}
    transforms:${redact(['title', 'message', 'body', 'displayName', 'publicName', 'profilePicture', 'excerpt', '_links', '_expandable'].map((f) => `$.results[*]..${f}`))}${pseudonymize(['$.results[*]..accountId', '$.results[*]..email'])}
    responseSchema: ${page(CONTENT)}
  - pathTemplate: /ex/confluence/{cloudId}/wiki/rest/api/group
    allowedQueryParams: ${list([...OFFSET, 'accessType'])}
    transforms:${redact(['$.results[*].name'])}
    responseSchema: ${page({ id: 's', type: 's' })}
  - pathTemplate: /ex/confluence/{cloudId}/wiki/rest/api/group/{groupId}/membersByGroupId
    allowedQueryParams: ${list([...OFFSET, 'shouldReturnTotalSize', 'expand'])}
    transforms:${redact(['$.results[*].displayName', '$.results[*].publicName', '$.results[*].profilePicture'])}${pseudonymize(['$.results[*].accountId', '$.results[*].email'])}
    responseSchema: ${page(USER)}
${ACCESSIBLE_RESOURCES_ENDPOINT}
`;
