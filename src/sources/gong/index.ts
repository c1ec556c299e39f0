/**
 * The Gong metrics connector (psoxy `SOURCE=gong-metrics`): Gong's users and aggregated activity
 * stats on the customer's own API host, through an OAuth app whose refresh token Gong takes in the
 * token URL's query (`refresh_token_via_query_parameter`).
 *
 * Rules written for this project from Gong's API reference and psoxy's `gong-metrics` rules as
 * facts: user ids become reversible tokens (Worklytics sends them back to filter stats), emails and
 * manager ids tokens. Beyond psoxy, whose response schema keeps only ids, emails and `active`:
 * we redact each field that names or reaches a person (names, title, phone, meeting URLs)
 * explicitly, so they stay out even where Gong adds fields beside them.
 */
import type { Connector } from '../catalogue/connector.ts';
import { person, personalText, type FakeOrg, type FakePerson } from '../catalogue/fake-org.ts';
import { pseudonymize, pseudonymizeReversible, redact } from '../catalogue/rules-yaml.ts';

export const GONG_METRICS_RULES_YAML = `
endpoints:
  - pathTemplate: /v2/users
    allowedMethods: [GET]
    allowedQueryParams: ["cursor", "includeAvatars"]
    transforms:${redact(['firstName', 'lastName', 'title', 'phoneNumber', 'extension', 'personalMeetingUrls', 'meetingConsentPageUrl', 'avatarUrl'].map((f) => `$.users[*].${f}`))}${pseudonymize(['$.users[*].emailAddress', '$.users[*].emailAliases[*]', '$.users[*].trustedEmailAddress', '$.users[*].managerId'])}${pseudonymizeReversible(['$.users[*].id'])}
  # Aggregated counts per user over the body's date range: only who they are goes.
  - pathTemplate: /v2/stats/activity/aggregate
    allowedMethods: [POST]
    allowedQueryParams: []
    transforms:${pseudonymize(['$.usersAggregateActivityStats[*].userId', '$.usersAggregateActivityStats[*].userEmailAddress'])}
`;

/** Gong ids are 18-19 digit numbers (as strings); a person's from their place in the org. */
const gongId = (org: FakeOrg, p: FakePerson) => personalText(org, String(234599484848423000n + BigInt(org.people.indexOf(p) * 7919)));
const FROM = '2026-09-01T00:00:00Z';
const TO = '2026-10-01T00:00:00Z';
const records = (n: number) => ({ totalRecords: n, currentPageSize: n, currentPageNumber: 0 });

function stats(org: FakeOrg) {
  const count = () => org.int(0, 25);
  return {
    callsAsHost: count(), callsAttended: count(), callsGaveFeedback: count(), callsReceivedFeedback: count(), callsRequestedFeedback: count(),
    callsScorecardsFilled: count(), callsScorecardsReceived: count(), ownCallsListenedTo: count(), othersCallsListenedTo: count(),
    callsSharedInternally: count(), callsSharedExternally: count(), callsCommentsGiven: count(), callsCommentsReceived: count(),
    callsMarkedAsFeedbackGiven: count(), callsMarkedAsFeedbackReceived: count(),
  };
}

export const GONG_METRICS: Connector = {
  id: 'gong-metrics',
  name: 'Gong Metrics',
  family: 'gong',
  settings: {
    TARGET_HOST: 'YOUR-SUBDOMAIN.api.gong.io',
    SOURCE_AUTH_STRATEGY_IDENTIFIER: 'oauth2_refresh_token',
    GRANT_TYPE: 'refresh_token_via_query_parameter',
    REFRESH_ENDPOINT: 'https://app.gong.io/oauth2/generate-customer-token',
    USE_SHARED_TOKEN: 'true',
  },
  secrets: ['CLIENT_ID', 'CLIENT_SECRET', 'REFRESH_TOKEN', 'ACCESS_TOKEN'],
  sensitive: ['CLIENT_ID', 'CLIENT_SECRET', 'REFRESH_TOKEN', 'ACCESS_TOKEN'], // psoxy flags CLIENT_ID sensitive too
  setup: [
    'A Gong admin opens Company Settings → Ecosystem → Apps & Integrations → Create an app, gives it a name and a redirect URL',
    '(`http://localhost` will do) and the scopes `api:users:read` and `api:stats:user-actions`, and copies its Client ID and Secret.',
    'The admin then authorizes it once: open `https://app.gong.io/oauth2/authorize?client_id=<Client ID>&response_type=code&scope=api:users:read%20api:stats:user-actions&redirect_uri=http://localhost`,',
    'and within 10 minutes exchange the `code` of the redirect with a POST to `https://app.gong.io/oauth2/generate-customer-token`',
    '(HTTP Basic `<Client ID>:<Client Secret>`, form `grant_type=authorization_code`, `code`, `client_id`, `redirect_uri`). Fill `CLIENT_ID`,',
    '`CLIENT_SECRET`, `REFRESH_TOKEN` and `ACCESS_TOKEN` from it, and set `TARGET_HOST` to the host of the answer\'s `api_base_url_for_customer`',
    '(e.g. `acme.api.gong.io`). Access tokens last a day; the proxy refreshes them, writes new ones back (so `REFRESH_TOKEN` and `ACCESS_TOKEN`',
    'must be writable) and shares one token between instances.',
  ].join('\n'),
  caveats: 'Creating apps and reading users\' activity stats needs a Gong technical administrator; the API host is specific to each Gong customer.',
  sanitizes: 'Users\' ids (reversible), emails, email aliases and manager ids, and the user id and email of each activity row become tokens; names, titles, phone numbers and meeting URLs are redacted.',
  rules: { '': GONG_METRICS_RULES_YAML },
  conformance: {},
  examples: [
    { name: 'List all users', path: '/v2/users',
      response: (org) => ({ requestId: '4al018gzaztcr8nbukw', records: records(org.people.length), users: org.people.map((p, n) => ({
        id: gongId(org, p), emailAddress: p.email, created: org.isoTime(365), active: true, emailAliases: [personalText(org, p.email.replace('@', '.alias@'))],
        trustedEmailAddress: p.email, firstName: p.firstName, lastName: p.lastName, title: personalText(org, `${p.lastName} account executive, EMEA`),
        phoneNumber: p.phone, extension: '123', personalMeetingUrls: [personalText(org, `https://zoom.us/my/${p.firstName.toLowerCase()}.${p.lastName.toLowerCase()}`)],
        settings: { webConferencesRecorded: true, preventWebConferenceRecording: false, telephonyCallsImported: false, emailsImported: true },
        managerId: n === 0 ? null : gongId(org, person(org, 0)), meetingConsentPageUrl: null, spokenLanguages: [{ language: 'en-US', primary: true }],
      })) }) },
    { name: 'Aggregated activity stats', method: 'POST', path: '/v2/stats/activity/aggregate', body: { filter: { fromDateTime: FROM, toDateTime: TO } },
      response: (org) => ({ requestId: '5bm129hab0udr9ocvlx', records: records(org.people.length), fromDateTime: FROM, toDateTime: TO, timeZone: 'America/New_York',
        usersAggregateActivityStats: org.people.map((p) => ({ userId: gongId(org, p), userEmailAddress: p.email, userAggregateActivityStats: stats(org) })) }) },
  ],
};

export const GONG_CONNECTORS: readonly Connector[] = [GONG_METRICS];
