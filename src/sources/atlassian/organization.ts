/**
 * Atlassian organization (psoxy `SOURCE=atlassian-organization`): the organization admin API's
 * audit events (and their stream) and the managed users of a directory, read with an organization
 * API key. Responses shaped after Atlassian's Organizations REST API reference.
 *
 * Rules written for this project to the effect of psoxy's `organization.yaml`, with two of its
 * quirks not copied: psoxy looks for the actor at `data[*].actor` and its schema keeps only top-level
 * `actor`/`context`, while the API nests them under `data[*].attributes` (so psoxy passes no actor at
 * all); and it keeps a digest of each event's message, which we drop. Contexts can be people's
 * accounts, so their ids become tokens; IP addresses and locations never pass.
 */
import type { Connector } from '../catalogue/connector.ts';
import { person, personalText, type FakeOrg, type FakePerson } from '../catalogue/fake-org.ts';
import { schema, type Shape } from '../catalogue/response-schema.ts';
import { list, pseudonymize, pseudonymizeReversible, redact } from '../catalogue/rules-yaml.ts';
import { accountId } from './cloud.ts';

const ORG_ID = 'a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const DIRECTORY_ID = 'd9e8f7a6-b5c4-4d3e-8f2a-1b0c9d8e7f6a';
const json = (v: unknown) => JSON.stringify(v);

const REF: Shape = [{ id: 's', type: 's' }];
const EVENTS = schema({
  data: [{
    id: 's', type: 's',
    attributes: {
      action: 's', actionCategory: 's', product: 's', time: 's', context: REF, container: REF,
      actor: { id: 's', type: 's', auth: { authType: 's' }, app: { id: 's', type: 's' }, onBehalfOf: { id: 's', email: 's' } },
    },
  }],
  links: { next: 's' },
});
const USERS = schema({ data: [{ accountId: 's', accountStatus: 's', accountType: 's', addedToOrg: 's', email: 's' }], links: { next: 's' } });

const eventsEndpoint = (path: string, params: string[]) => `
  - pathTemplate: /admin/v1/orgs/{orgId}/${path}
    allowedQueryParams: ${list(['cursor', 'from', 'to', 'limit', 'sortOrder', ...params])}
    transforms:${redact(['$.data[*].message', '$.data[*].attributes.actor.name', '$.data[*].attributes.location'])}${pseudonymize(['actor.id', 'actor.onBehalfOf.id', 'actor.onBehalfOf.email', 'context[*].id'].map((f) => `$.data[*].attributes.${f}`))}
    responseSchema: ${json(EVENTS)}`;

export const ATLASSIAN_ORGANIZATION_RULES_YAML = `
endpoints:${eventsEndpoint('events', ['q', 'action', 'actor', 'ip', 'product', 'location'])}${eventsEndpoint('events-stream', [])}
  # accountId is reversible: Worklytics sends it back in \`accountIds\` to page through given users.
  - pathTemplate: /admin/v2/orgs/{orgId}/directories/{directoryId}/users
    allowedQueryParams: ${list(['cursor', 'limit', 'accountIds', 'directoryIds', 'resourceIds', 'groupIds', 'mfaEnabled', 'claimStatus', 'status', 'accountStatus'])}
    transforms:${redact(['$.data[*].name', '$.data[*].nickname', '$.data[*].picture', '$.data[*].avatar'])}${pseudonymize(['$.data[*].email'])}${pseudonymizeReversible(['$.data[*].accountId'])}
    responseSchema: ${json(USERS)}
`;

const eventsLink = (org: FakeOrg, path: string) => ({ self: `https://api.atlassian.com/admin/v1/orgs/${ORG_ID}/${path}`, next: `https://api.atlassian.com/admin/v1/orgs/${ORG_ID}/${path}?cursor=${org.chars(20)}` });

/** An audit event: an admin (acting on their own or for someone) does something to a person's account. */
function auditEvent(org: FakeOrg, actor: FakePerson, subject: FakePerson) {
  return {
    id: org.chars(32, '0123456789abcdef'), type: 'events',
    attributes: {
      time: org.isoTime(), action: 'user_added_to_group', actionCategory: 'user_management', product: 'jira-software',
      actor: { id: accountId(actor), name: actor.displayName, type: 'user', auth: { authType: 'session' }, onBehalfOf: { id: accountId(subject), email: subject.email }, links: { self: `https://api.atlassian.com/users/${accountId(actor)}/manage/profile` } },
      context: [{ id: accountId(subject), type: 'users', attributes: { name: subject.displayName, email: subject.email }, links: { alt: `https://admin.atlassian.com/o/${ORG_ID}/users/${accountId(subject)}` } }],
      container: [{ id: ORG_ID, type: 'orgs', attributes: { siteHostName: 'example-corp.atlassian.net' } }],
      location: { ip: personalText(org, `${org.int(11, 199)}.${org.int(0, 255)}.${org.int(0, 255)}.${org.int(1, 254)}`), geo: '38.7223,-9.1393', countryName: 'Portugal', city: 'Lisbon' },
    },
    message: { content: personalText(org, `${actor.displayName} added ${subject.displayName} to the payroll group`), format: 'simple' },
    links: { self: `https://api.atlassian.com/admin/v1/orgs/${ORG_ID}/events/${org.chars(8)}` },
  };
}

export const ATLASSIAN_ORGANIZATION: Connector = {
  id: 'atlassian-organization',
  name: 'Atlassian organization (admin API)',
  family: 'atlassian',
  settings: { TARGET_HOST: 'api.atlassian.com', SOURCE_AUTH_STRATEGY_IDENTIFIER: 'oauth2_access_token' },
  secrets: ['ACCESS_TOKEN'],
  sensitive: ['ACCESS_TOKEN'],
  setup: [
    'In [Atlassian Administration](https://admin.atlassian.com/), open your organization → Settings → API keys and create an API key with the',
    'scopes `read:directories:admin` (directory users) and `read:events:admin` (audit events). It is shown once: fill `ACCESS_TOKEN` with it.',
    'The organization id is in the admin console\'s URL (`https://admin.atlassian.com/o/<org id>/overview`) and the directory id in',
    '`GET /admin/v2/orgs/<org id>/directories`; both go in the paths Worklytics calls. API keys expire: replace the secret before the expiry date.',
  ].join('\n'),
  caveats: 'Needs an organization admin to create the key. Audit events are in the API for Atlassian Guard (formerly Access) or Enterprise plans; without them only a short history is kept.',
  sanitizes: 'Account ids (actors, those acted for, accounts an event concerns, directory users) and emails become tokens, directory users\' reversibly; names, nicknames, avatars, event messages, IP addresses and locations are dropped; events keep only their action, category, product, time and the ids and types of what they concern.',
  rules: { '': ATLASSIAN_ORGANIZATION_RULES_YAML },
  conformance: {},
  examples: [
    { name: 'Query audit events', path: `/admin/v1/orgs/${ORG_ID}/events?limit=50`,
      response: (org) => ({ data: [auditEvent(org, person(org, 0), person(org, 1)), auditEvent(org, person(org, 0), person(org, 2))], links: eventsLink(org, 'events') }) },
    { name: 'Stream audit events', path: `/admin/v1/orgs/${ORG_ID}/events-stream?limit=50`,
      response: (org) => ({ data: [auditEvent(org, person(org, 3), person(org, 4))], links: eventsLink(org, 'events-stream') }) },
    { name: 'Get users in a directory', path: `/admin/v2/orgs/${ORG_ID}/directories/${DIRECTORY_ID}/users?limit=50`,
      response: (org) => ({
        data: org.people.map((p) => ({ accountId: accountId(p), accountType: 'atlassian', accountStatus: 'active', membershipStatus: 'active', addedToOrg: org.isoTime(365),
          name: p.displayName, nickname: p.firstName, email: p.email, emailVerified: true, claimStatus: 'MANAGED', picture: `https://avatar-management.services.atlassian.com/${p.id}/48` })),
        links: { self: `https://api.atlassian.com/admin/v2/orgs/${ORG_ID}/directories/${DIRECTORY_ID}/users`, next: `https://api.atlassian.com/admin/v2/orgs/${ORG_ID}/directories/${DIRECTORY_ID}/users?cursor=${org.chars(20)}` },
      }) },
  ],
};
