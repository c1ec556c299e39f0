/**
 * What every Google Workspace connector shares: psoxy's `gcp_service_account_key` settings (a
 * service account with domain-wide delegation, scoped by `OAUTH_SCOPES`), the setup an
 * administrator does once per API, Google-shaped ids and the Admin SDK Reports API's activity
 * shape (Meet, Chat and Gemini are all read from it).
 */
import type { Connector, ExampleCall } from '../catalogue/connector.ts';
import { personalText, type FakeOrg, type FakePerson } from '../catalogue/fake-org.ts';

interface WorkspaceSpec {
  id: string;
  name: string;
  /** psoxy's `target_host` for the SOURCE. */
  host: string;
  /** The Google Cloud API to enable in the service account's project (psoxy's `apis_consumed`). */
  api: string;
  scopes: readonly string[];
  /** Whom Worklytics impersonates: any user of the domain, or an administrator (Directory, Reports API). */
  impersonates: 'user' | 'admin';
  caveats?: string;
  sanitizes: string;
  rules: Readonly<Record<string, string>>;
  examples: readonly ExampleCall[];
  conformance?: Readonly<Record<string, string>>;
}

const IMPERSONATED = {
  user: 'Worklytics names the user whose data it reads in `X-Psoxy-User-To-Impersonate`, so any user of the domain may be impersonated.',
  admin: 'Worklytics impersonates an administrator (`X-Psoxy-User-To-Impersonate`): give that user an admin role with read access to what these scopes cover (a custom role is enough).',
};

export function workspaceConnector(spec: WorkspaceSpec): Connector {
  const scopes = spec.scopes.map((s) => `\`${s}\``).join(', ');
  return {
    id: spec.id,
    name: spec.name,
    family: 'google-workspace',
    settings: {
      TARGET_HOST: spec.host,
      SOURCE_AUTH_STRATEGY_IDENTIFIER: 'gcp_service_account_key',
      // psoxy's Terraform joins the scopes with spaces; google-auth asks for all of them at once.
      OAUTH_SCOPES: spec.scopes.join(' '),
    },
    secrets: ['SERVICE_ACCOUNT_KEY'],
    sensitive: ['SERVICE_ACCOUNT_KEY'],
    setup: [
      `1. In a Google Cloud project of yours, enable the \`${spec.api}\` API and create a service account`,
      '   (one per connector keeps each one\'s access apart). Create a JSON key for it and store it as',
      '   `SERVICE_ACCOUNT_KEY` (raw or base64), or leave that secret out and run the proxy as the service',
      '   account (Application Default Credentials).',
      '2. In the Google Workspace Admin console, Security → Access and data control → API controls →',
      '   Manage Domain Wide Delegation, add the service account\'s numeric client ID with the scopes',
      `   ${scopes}.`,
      `3. ${IMPERSONATED[spec.impersonates]}`,
    ].join('\n'),
    ...(spec.caveats ? { caveats: spec.caveats } : {}),
    sanitizes: spec.sanitizes,
    rules: spec.rules,
    examples: spec.examples,
    conformance: spec.conformance ?? {},
  };
}

/** Google's numeric user ids (profile ids): 21 digits, derived from the person's place in the org. */
export const googleId = (org: FakeOrg, p: FakePerson): string => String(103000000000000000000n + BigInt(org.people.indexOf(p)) * 7919n);

/** A random public IPv4 address, personal in activity logs. */
export const ipAddress = (org: FakeOrg): string => personalText(org, `${org.int(11, 199)}.${org.int(0, 255)}.${org.int(0, 255)}.${org.int(1, 254)}`);

type ActivityParameter = { name: string; value?: string; intValue?: string; boolValue?: boolean; multiValue?: string[] };

/** One Admin SDK Reports API `activity` (users.activities.list item) for an application. */
export function activity(org: FakeOrg, application: string, actor: FakePerson, event: { type: string; name: string; parameters: ActivityParameter[] }) {
  return {
    kind: 'admin#reports#activity',
    id: { time: org.isoTime(7), uniqueQualifier: org.chars(19, '0123456789'), applicationName: application, customerId: 'C03az79cb' },
    etag: `"${org.chars(43)}"`,
    actor: { callerType: 'USER', email: actor.email, profileId: googleId(org, actor) },
    ipAddress: ipAddress(org),
    events: [event],
  };
}

/** A Reports API `activities` page. */
export const activities = (org: FakeOrg, items: unknown[]) => ({ kind: 'admin#reports#activities', etag: `"${org.chars(43)}"`, nextPageToken: org.chars(40), items });
