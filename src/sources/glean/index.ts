/** The Glean connector (psoxy `SOURCE=glean`): a Glean-issued global token, sent as a bearer token. */
import type { Connector } from '../catalogue/connector.ts';
import { person, personalText, type FakeOrg, type FakePerson } from '../catalogue/fake-org.ts';
import { GLEAN_RULES_YAML } from './rules.ts';

/** Glean's API host for an instance; the administrator replaces the placeholder with theirs. */
const INSTANCE_HOST = 'YOUR-INSTANCE-be.glean.com';
const DAY_RANGE = { start: { datePeriod: { year: 2026, month: 9, day: 1 } }, end: { datePeriod: { year: 2026, month: 9, day: 30 } } };

/** Glean's obfuscated person ids, from the person's own id; recorded as personal so the leak test looks for them. */
const obfuscatedId = (org: FakeOrg, p: FakePerson) => personalText(org, `${p.id.slice(0, 12).toLowerCase()}obf`);
const personRef = (org: FakeOrg, p: FakePerson) => ({ name: p.displayName, obfuscatedId: obfuscatedId(org, p) });

function gleanPerson(org: FakeOrg, p: FakePerson, manager: FakePerson) {
  return {
    name: p.displayName, obfuscatedId: obfuscatedId(org, p),
    metadata: {
      email: p.email, aliasEmails: [personalText(org, `${p.firstName.toLowerCase()}@${org.domain}`)], firstName: p.firstName, lastName: p.lastName,
      title: personalText(org, `Head of ${p.lastName} family accounts`), department: 'Finance', businessUnit: 'Operations', location: 'Lisbon, PT', phone: p.phone,
      startDate: '2021-03-01', photoUrl: `https://${org.domain}/photos/${p.id}.jpg`, loggingId: personalText(org, `log-${p.id}`), isSignedUp: true,
      timezone: 'Western European Time', timezoneIANA: 'Europe/Lisbon', timezoneOffset: 0, type: 'FULL_TIME',
      manager: personRef(org, manager), directReportsCount: 0,
    },
  };
}

const counts = (org: FakeOrg, names: readonly string[]) => Object.fromEntries(names.map((n) => [n, org.int(0, 60)]));

export const GLEAN: Connector = {
  id: 'glean',
  name: 'Glean',
  family: 'glean',
  settings: { TARGET_HOST: INSTANCE_HOST, SOURCE_AUTH_STRATEGY_IDENTIFIER: 'oauth2_access_token' },
  secrets: ['ACCESS_TOKEN'],
  sensitive: ['ACCESS_TOKEN'],
  setup: [
    `Set \`TARGET_HOST\` to your instance's API host (\`<instance>-be.glean.com\`, as Glean's API reference gives it; the instance is`,
    'the name in your Glean URL). A Glean Super Admin creates a Glean-issued **global** token (Admin console → Platform → API tokens)',
    'with the `INSIGHTS` and `ENTITIES` scopes (older consoles call them `INSIGHTS_READ` and `PEOPLE_READ`); scopes cannot be',
    'changed later. A global token acts as the user named in the `X-Glean-ActAs` header of each call: in Worklytics, set the',
    'connection\'s Admin Email to the email of the admin who created the token. The proxy sends the token as a bearer token.',
  ].join('\n'),
  caveats: 'Global tokens can only be created by Super Admins; the Insights API reports only for the time range and departments the request names.',
  sanitizes: 'People\'s obfuscated ids, emails, alias emails and logging ids (in the directory, team memberships and per-user insights), managers\' ids, team emails and directory handles become tokens; names, titles, phones, locations, photos, team names and descriptions, departments and agent names do not come out.',
  rules: { '': GLEAN_RULES_YAML },
  conformance: {},
  examples: [
    { name: 'List entities (people and teams)', method: 'POST', path: '/rest/api/v1/listentities', body: { entityType: 'PEOPLE', pageSize: 100, includeFields: ['PEOPLE', 'TEAMS'] },
      response: (org) => {
        const lead = person(org, 0);
        return {
          results: org.people.map((p) => gleanPerson(org, p, lead)),
          teamResults: [{ id: 'team_001', name: personalText(org, `${lead.lastName}'s payroll squad`), description: personalText(org, `Whoever ${lead.firstName} trusts with salaries`),
            datasource: 'glean', createdFrom: 'MANUAL', lastUpdatedAt: org.isoTime(), loggingId: 'team-log-001', memberCount: org.people.length,
            members: org.people.slice(0, 3).map((p, n) => ({ person: personRef(org, p), relationship: n === 0 ? 'MANAGER' : 'MEMBER', joinDate: org.isoTime(),
              customRelationshipStr: personalText(org, `${p.firstName}'s mentor`) })),
            emails: [{ email: personalText(org, `payroll-${lead.lastName.toLowerCase()}@${org.domain}`), type: 'PRIMARY', isUserGenerated: false }],
            datasourceProfiles: [{ datasource: 'slack', handle: personalText(org, `${lead.firstName.toLowerCase()}-payroll-crew`), url: `https://slack.com/t/${lead.id}`, isUserGenerated: false }] }],
          cursor: 'eyJvZmZzZXQiOjEwMH0=', totalCount: org.people.length, hasMoreResults: false, sortOptions: ['ENTITY_NAME', 'FIRST_NAME'],
        };
      } },
    { name: 'Get insights (overview, assistant, agents)', method: 'POST', path: '/rest/api/v1/insights',
      body: { overviewRequest: { dayRange: DAY_RANGE }, assistantRequest: { dayRange: DAY_RANGE }, agentsRequest: { dayRange: DAY_RANGE } },
      response: (org) => ({
        overviewResponse: { monthlyActiveUsers: org.people.length, departments: ['Finance'],
          perUserInsights: org.people.map((p) => ({ person: personRef(org, p),
            ...counts(org, ['numSearches', 'numChats', 'numActiveSessions', 'numGleanbotUsefulResponses', 'numDaysActive', 'numSummarizations', 'numAiAnswers', 'numAgentRuns']) })) },
        assistantResponse: { monthlyActiveUsers: org.people.length,
          perUserInsights: org.people.map((p) => ({ person: personRef(org, p), ...counts(org, ['numChatMessages', 'numSummarizations', 'numAiAnswers', 'numGleanbotInteractions', 'numDaysActive']) })) },
        agentsResponse: {
          topAgentsInsights: [{ agentId: 'agt_01', agentName: personalText(org, `Draft ${person(org, 1).firstName}'s performance review`), userCount: 1, runCount: 4 }],
          agentUsersInsights: org.people.slice(0, 3).map((p) => ({ person: personRef(org, p), departmentName: 'Finance',
            agentsUsedCount: org.int(0, 5), averageRunsPerDayCount: org.int(0, 30) / 10, agentsCreatedCount: org.int(0, 2), runCount: org.int(0, 40) })),
        },
      }) },
  ],
};

export const GLEAN_CONNECTORS: readonly Connector[] = [GLEAN];
