/**
 * Built-in rules for Glean (`SOURCE=glean`), written for this project to the effect of psoxy's
 * `glean.yaml`: two POST endpoints whose response schemas keep people's ids, emails and per-user
 * usage counts, with every obfuscated id and email a token. Glean-issued global tokens act as the
 * user named in `X-Glean-ActAs`, so that header passes to Glean.
 *
 * Beyond psoxy: a person's `loggingId` (an id of them in Glean's logs) and team members' and
 * managers' ids are pseudonymized too, and a team's directory handles (`datasourceProfiles[*].handle`)
 * become tokens; psoxy keeps `loggingId` and handles as they are. Team relationship labels
 * (`customRelationshipStr`, free text) are dropped.
 */
import { schema, type Shape } from '../catalogue/response-schema.ts';
import { pseudonymize } from '../catalogue/rules-yaml.ts';

const json = (v: unknown) => JSON.stringify(v);

const PERSON: Shape = {
  obfuscatedId: 's',
  metadata: {
    email: 's', aliasEmails: ['s'], loggingId: 's', isSignedUp: 'b', timezone: 's', timezoneIANA: 's', timezoneOffset: 'i',
    manager: { obfuscatedId: 's' },
  },
};
const TEAM: Shape = {
  id: 's', datasource: 's', createdFrom: 's', lastUpdatedAt: 's', loggingId: 's',
  members: [{ person: PERSON, relationship: 's', joinDate: 's' }],
  emails: [{ email: 's', type: 's', isUserGenerated: 'b' }],
  datasourceProfiles: [{ datasource: 's', handle: 's', isUserGenerated: 'b' }],
};
const OVERVIEW_USER: Shape = {
  person: PERSON, numActiveSessions: 'i', numAgentRuns: 'i', numAiAnswers: 'i', numChats: 'i', numDaysActive: 'i',
  numGleanbotUsefulResponses: 'i', numSearches: 'i', numSummarizations: 'i',
};
const ASSISTANT_USER: Shape = { person: PERSON, numAiAnswers: 'i', numChatMessages: 'i', numDaysActive: 'i', numGleanbotInteractions: 'i', numSummarizations: 'i' };
const AGENT_USER: Shape = { person: PERSON, agentsCreatedCount: 'i', agentsUsedCount: 'i', averageRunsPerDayCount: 'n', runCount: 'i' };

/** Every person identifier, wherever a person object sits in either response. */
const PEOPLE = ['$..obfuscatedId', '$..email', '$..emailAddress', '$..aliasEmails[*]', '$..loggingId'];

const endpoint = (path: string, shape: Shape, ids: readonly string[]) => `
  - pathTemplate: ${path}
    allowedMethods: ["POST"]
    allowedQueryParams: []
    allowedRequestHeaders: ["X-Glean-ActAs"]
    transforms:${pseudonymize(ids)}
    responseSchema: ${json(schema(shape))}`;

export const GLEAN_RULES_YAML = `
endpoints:${endpoint('/rest/api/v1/listentities', {
  results: [PERSON], teamResults: [TEAM], cursor: 's', hasMoreResults: 'b', totalCount: 'i', sortOptions: ['s'],
}, [...PEOPLE, '$.teamResults[*].datasourceProfiles[*].handle'])}${endpoint('/rest/api/v1/insights', {
  overviewResponse: { perUserInsights: [OVERVIEW_USER] },
  assistantResponse: { perUserInsights: [ASSISTANT_USER] },
  agentsResponse: { agentUsersInsights: [AGENT_USER] },
}, PEOPLE)}
`;
