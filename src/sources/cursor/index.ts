/**
 * The Cursor connector (psoxy `SOURCE=cursor`): Cursor's Admin API on api.cursor.com, which takes a
 * team admin's API key as the user of HTTP Basic auth with an empty password (`basic_auth`,
 * secret `BASIC_AUTH_USER_ID`). Usage data is read with POSTs whose JSON body holds the date range.
 *
 * Rules written for this project from Cursor's Admin API reference and psoxy's `cursor` rules as
 * facts. Beyond psoxy: members' names are redacted (psoxy passes them through).
 */
import type { Connector } from '../catalogue/connector.ts';
import type { FakeOrg } from '../catalogue/fake-org.ts';
import { pseudonymize, pseudonymizeReversible, redact } from '../catalogue/rules-yaml.ts';

const RANGE = { startDate: Date.UTC(2026, 8, 1), endDate: Date.UTC(2026, 8, 30) };

export const CURSOR_RULES_YAML = `
endpoints:
  - pathTemplate: /teams/members
    allowedMethods: [GET]
    transforms:${redact(['$.teamMembers[*].name'])}${pseudonymize(['$.teamMembers[*].email'])}
  # Worklytics joins daily usage to people by these tokens, so they are reversible.
  - pathTemplate: /teams/daily-usage-data
    allowedMethods: [POST]
    transforms:${pseudonymizeReversible(['$.data[*].email'])}
  - pathTemplate: /teams/filtered-usage-events
    allowedMethods: [POST]
    transforms:${pseudonymize(['$.usageEvents[*].userEmail'])}
`;

const mostUsed = (org: FakeOrg) => org.pick(['claude-4-sonnet', 'gpt-5', 'auto']);

export const CURSOR: Connector = {
  id: 'cursor',
  name: 'Cursor',
  family: 'cursor',
  settings: { TARGET_HOST: 'api.cursor.com', SOURCE_AUTH_STRATEGY_IDENTIFIER: 'basic_auth' },
  secrets: ['BASIC_AUTH_USER_ID'],
  sensitive: ['BASIC_AUTH_USER_ID'], // the API key
  setup: [
    'A team admin opens https://cursor.com/dashboard → Settings → Cursor Admin API Keys, creates a key with a descriptive',
    'name (e.g. "Worklytics proxy") and copies it at once (it is shown only once). Cursor calls it an API key, but it is sent',
    'as the user id of HTTP Basic auth (RFC 7617) with an empty password, hence the secret\'s name.',
  ].join('\n'),
  caveats: 'The Admin API is available to Cursor Business (Teams) and Enterprise plans; only team admins can create its keys.',
  sanitizes: 'Members\' emails and the user email on every usage event become tokens (reversible on daily usage rows); members\' names are redacted.',
  rules: { '': CURSOR_RULES_YAML },
  conformance: {},
  examples: [
    { name: 'Get team members', path: '/teams/members',
      response: (org) => ({ teamMembers: org.people.map((p, n) => ({ name: p.displayName, email: p.email, role: n === 0 ? 'owner' : 'member' })) }) },
    { name: 'Get daily usage data', method: 'POST', path: '/teams/daily-usage-data', body: RANGE,
      response: (org) => ({ period: RANGE, data: org.people.map((p) => ({
        date: RANGE.startDate, email: p.email, isActive: true, totalLinesAdded: org.int(0, 900), totalLinesDeleted: org.int(0, 200),
        acceptedLinesAdded: org.int(0, 400), acceptedLinesDeleted: org.int(0, 90), totalApplies: org.int(0, 30), totalAccepts: org.int(0, 25), totalRejects: org.int(0, 5),
        totalTabsShown: org.int(0, 300), totalTabsAccepted: org.int(0, 120), composerRequests: org.int(0, 20), chatRequests: org.int(0, 20), agentRequests: org.int(0, 40),
        cmdkUsages: org.int(0, 10), subscriptionIncludedReqs: org.int(0, 60), apiKeyReqs: 0, usageBasedReqs: org.int(0, 5), bugbotUsages: 0,
        mostUsedModel: mostUsed(org), applyMostUsedExtension: 'tsx', tabMostUsedExtension: 'ts', clientVersion: '1.7.2',
      })) }) },
    { name: 'Get usage events', method: 'POST', path: '/teams/filtered-usage-events', body: { ...RANGE, page: 1, pageSize: 100 },
      response: (org) => ({ totalUsageEventsCount: 3, period: RANGE,
        pagination: { numPages: 1, currentPage: 1, pageSize: 100, hasNextPage: false, hasPreviousPage: false },
        usageEvents: org.people.slice(0, 3).map((p) => ({
          timestamp: String(RANGE.startDate + org.int(0, 86400000)), model: mostUsed(org), kindLabel: 'Included in Business', maxMode: false, requestsCosts: 1,
          isTokenBasedCall: true, isFreeBugbot: false, userEmail: p.email,
          tokenUsage: { inputTokens: org.int(100, 9000), outputTokens: org.int(10, 2000), cacheWriteTokens: 0, cacheReadTokens: 0, totalCents: org.int(0, 40) },
        })) }) },
  ],
};

export const CURSOR_CONNECTORS: readonly Connector[] = [CURSOR];
