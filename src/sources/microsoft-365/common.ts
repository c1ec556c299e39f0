/**
 * What every Microsoft 365 connector shares: psoxy's settings (Microsoft Graph, client credentials
 * with workload identity federation, no stored secret), the Entra app registration the
 * administrator creates, and Graph-shaped user objects for the simulator's responses.
 */
import type { FakeOrg, FakePerson } from '../catalogue/fake-org.ts';

/** psoxy's `msft-365.tf` settings; REFRESH_ENDPOINT names the tenant, so the administrator fills it. */
export const GRAPH_SETTINGS: Record<string, string> = {
  TARGET_HOST: 'graph.microsoft.com',
  SOURCE_AUTH_STRATEGY_IDENTIFIER: 'oauth2_refresh_token',
  GRANT_TYPE: 'workload_identity_federation',
  TOKEN_SCOPE: 'https://graph.microsoft.com/.default',
};

export const GRAPH_SECRETS = ['CLIENT_ID', 'REFRESH_ENDPOINT'] as const;
/** None of them is a credential (an app id and a URL: workload identity federation), so Secrets Manager holds none. */
export const GRAPH_SENSITIVE: readonly string[] = [];

/** The setup text: one Entra app per connector, trusted through a federated credential, with these Graph application permissions. */
export function graphSetup(permissions: readonly string[], extra = ''): string {
  return [
    'In the Microsoft Entra admin center (or with psoxy\'s Terraform `msft-365` modules), register one application for this connector:',
    '',
    '1. **App registrations → New registration**, single tenant. Its *Application (client) ID* is `CLIENT_ID`; '
      + '`REFRESH_ENDPOINT` is `https://login.microsoftonline.com/<Directory (tenant) ID>/oauth2/v2.0/token`.',
    '2. **Certificates & secrets → Federated credentials**: trust the proxy\'s runtime identity, so no client secret exists anywhere. '
      + 'On AWS, issuer `https://cognito-identity.amazonaws.com`, audience the Cognito identity pool (`IDENTITY_POOL_ID`), subject its identity (`IDENTITY_ID`; '
      + 'the proxy also needs `DEVELOPER_NAME_ID`); on GCP, issuer `https://accounts.google.com`, audience `AUDIENCE`, subject the service account\'s unique id.',
    `3. **API permissions → Add a permission → Microsoft Graph → Application permissions**: ${permissions.map((p) => `\`${p}\``).join(', ')}; then **Grant admin consent** for the tenant.`,
    ...(extra ? ['', extra] : []),
  ].join('\n');
}

const HEX = '0123456789abcdef';

/** A Graph object id (a GUID). */
export function guid(org: FakeOrg): string {
  return [8, 4, 4, 4, 12].map((n) => org.chars(n, HEX)).join('-');
}

/** A fixed user id for example paths (the simulator answers by path, so it need not be a fake person's). */
export const EXAMPLE_USER_ID = '6e7b768e-07e2-4810-8459-485f84f8f204';

/** An Entra user as `GET /v1.0/users` returns it (Graph's default properties). */
export function graphUser(org: FakeOrg, p: FakePerson) {
  return {
    businessPhones: [p.phone],
    displayName: p.displayName,
    givenName: p.firstName,
    jobTitle: org.pick(['Engineer', 'Designer', 'Account Manager', 'Analyst']),
    mail: p.email,
    mobilePhone: p.phone,
    officeLocation: org.pick(['Building 7', 'Remote', 'HQ 3rd floor']),
    preferredLanguage: 'en-US',
    surname: p.lastName,
    userPrincipalName: p.email,
    id: guid(org),
  };
}

/** `{ name, address }` as Graph's recipient and organizer objects carry it. */
export const emailAddress = (p: FakePerson) => ({ emailAddress: { name: p.displayName, address: p.email } });

/** Graph's `@odata.context` for a collection, e.g. `users` or `users('…')/events`. */
export const odataContext = (what: string) => `https://graph.microsoft.com/v1.0/$metadata#${what}`;

/** A user's mailbox settings, automatic replies on (their texts are personal). */
export function mailboxSettingsResponse(org: FakeOrg) {
  const p = org.pick(org.people);
  const internal = `${p.displayName} is away until Monday; ask ${org.pick(org.people).displayName} for anything urgent.`;
  const external = `Thanks for writing to ${p.displayName}. I am out of the office with limited access to email.`;
  org.extraPersonal.push(internal, external);
  return {
    '@odata.context': odataContext(`users('${EXAMPLE_USER_ID}')/mailboxSettings`),
    archiveFolder: org.chars(120),
    timeZone: 'Pacific Standard Time',
    automaticRepliesSetting: {
      status: 'scheduled', externalAudience: 'all',
      scheduledStartDateTime: { dateTime: org.isoTime(10).replace('Z', '.0000000'), timeZone: 'UTC' },
      scheduledEndDateTime: { dateTime: org.isoTime(2).replace('Z', '.0000000'), timeZone: 'UTC' },
      internalReplyMessage: `<html><body>${internal}</body></html>`,
      externalReplyMessage: `<html><body>${external}</body></html>`,
    },
    language: { locale: 'en-US', displayName: 'English (United States)' },
    workingHours: {
      daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
      startTime: '08:00:00.0000000', endTime: '17:00:00.0000000',
      timeZone: { name: 'Pacific Standard Time' },
    },
    userPurpose: 'user',
    dateFormat: 'M/d/yyyy', timeFormat: 'h:mm tt',
    delegateMeetingMessageDeliveryOptions: 'sendToDelegateOnly',
  };
}

/** psoxy's rules variants for the Outlook connectors, by suffix. */
export const OUTLOOK_VARIANTS = {
  '': { appIds: true, groups: true },
  '_no-app-ids': { appIds: false, groups: true },
  '_no-app-ids_no-groups': { appIds: false, groups: false },
} as const;

/** Rules by variant suffix from one generator, and the matching psoxy conformance names. */
export function outlookRules(name: string, rules: (f: { appIds: boolean; groups: boolean }) => string) {
  const variants = Object.entries(OUTLOOK_VARIANTS);
  return {
    rules: Object.fromEntries(variants.map(([suffix, f]) => [suffix, rules(f)])),
    conformance: Object.fromEntries(variants.map(([suffix]) => [suffix, `microsoft-365/${name}${suffix}`])),
  };
}
