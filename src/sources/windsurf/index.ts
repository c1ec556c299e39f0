/**
 * The Windsurf connector (psoxy `SOURCE=windsurf`): Windsurf's (Codeium's) team analytics API on
 * server.codeium.com. It takes no auth header: the admin's service key goes into the JSON body of
 * each POST as `service_key` (`windsurf_service_key`, secret `SERVICE_KEY`), which the proxy adds.
 *
 * Rules written for this project from Windsurf's API reference and psoxy's `windsurf` rules as
 * facts. Beyond psoxy: users' names are redacted (psoxy passes them through).
 */
import type { Connector } from '../catalogue/connector.ts';
import { personalText } from '../catalogue/fake-org.ts';
import { pseudonymize, redact } from '../catalogue/rules-yaml.ts';

export const WINDSURF_RULES_YAML = `
endpoints:
  # apiKey is the per-user key id Windsurf reports usage by: as identifying as the email.
  - pathTemplate: /api/v1/UserPageAnalytics
    allowedMethods: [POST]
    transforms:${redact(['$.userTableStats[*].name'])}${pseudonymize(['$.userTableStats[*].email', '$.userTableStats[*].apiKey'])}
`;

export const WINDSURF: Connector = {
  id: 'windsurf',
  name: 'Windsurf',
  family: 'windsurf',
  settings: { TARGET_HOST: 'server.codeium.com', SOURCE_AUTH_STRATEGY_IDENTIFIER: 'windsurf_service_key' },
  secrets: ['SERVICE_KEY'],
  sensitive: ['SERVICE_KEY'],
  setup: [
    'A Windsurf team admin opens the service key section of the team Settings page and creates a service key with a role',
    'that has the "Teams Read-only" permission, then copies it. The proxy puts it into each request\'s JSON body as',
    '`service_key` (Windsurf takes no auth header), so every call is a POST; callers never see or send the key.',
  ].join('\n'),
  caveats: 'The analytics API is for Windsurf Teams and Enterprise plans.',
  sanitizes: 'Users\' emails and per-user API key ids become tokens; names are redacted.',
  rules: { '': WINDSURF_RULES_YAML },
  conformance: {},
  examples: [
    { name: 'Get user page analytics', method: 'POST', path: '/api/v1/UserPageAnalytics', body: { start_timestamp: '2026-09-01T00:00:00Z', end_timestamp: '2026-09-30T00:00:00Z' },
      response: (org) => ({ userTableStats: org.people.map((p) => ({
        name: p.displayName, email: p.email, lastUpdateTime: `${org.isoTime().slice(0, -1)}.771591Z`,
        apiKey: personalText(org, `${p.id.slice(0, 8)}-${p.id.slice(8, 12)}-4aaa-8aaa-${p.id.slice(4, 16)}`.toLowerCase()), activeDays: org.int(1, 400),
      })) }) },
  ],
};

export const WINDSURF_CONNECTORS: readonly Connector[] = [WINDSURF];
