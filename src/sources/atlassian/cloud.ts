/**
 * What the Atlassian Cloud connectors on an OAuth 2.0 (3LO) app share (Jira Cloud, Confluence
 * Cloud): the refresh-token settings, the app setup, the site and account-id shapes, and the
 * accessible-resources call that names the cloud id.
 */
import type { ExampleCall } from '../catalogue/connector.ts';
import type { FakePerson } from '../catalogue/fake-org.ts';
import { person, personalText } from '../catalogue/fake-org.ts';
import { redact } from '../catalogue/rules-yaml.ts';

export const CLOUD_ID = '11223344-a1b2-3b33-c444-def123456789';
export const SITE = 'https://example-corp.atlassian.net';

/** Atlassian account ids look like `712020:<uuid>`. */
export const accountId = (p: FakePerson) => `712020:${p.id.toLowerCase()}`;
export const avatars = (p: FakePerson) => ({ '48x48': `https://secure.gravatar.com/avatar/${p.id}?d=https%3A%2F%2Favatar-management.services.atlassian.com%2Finitials%2F${p.firstName[0]}${p.lastName[0]}-1.png` });

/** psoxy's settings for a 3LO app: Atlassian rotates the refresh token on every use, so instances share one. */
export const ATLASSIAN_CLOUD_SETTINGS: Readonly<Record<string, string>> = {
  TARGET_HOST: 'api.atlassian.com',
  SOURCE_AUTH_STRATEGY_IDENTIFIER: 'oauth2_refresh_token',
  GRANT_TYPE: 'refresh_token',
  REFRESH_ENDPOINT: 'https://auth.atlassian.com/oauth/token',
  USE_SHARED_TOKEN: 'true',
};
export const ATLASSIAN_CLOUD_SECRETS = ['CLIENT_ID', 'CLIENT_SECRET', 'REFRESH_TOKEN', 'ACCESS_TOKEN'] as const;

/** The 3LO app's setup: `permissions` says what to add under Permissions, `scopes` go in the authorize URL, `admin` authorizes. */
export function atlassianAppSetup(o: { permissions: string[]; scopes: readonly string[]; admin: string }): string {
  return [
    'In the [Atlassian developer console](https://developer.atlassian.com/console/myapps/) create an OAuth 2.0 integration (3LO app); under',
    ...o.permissions,
    `Copy its Client ID and Secret. ${o.admin} then opens`,
    `\`https://auth.atlassian.com/authorize?audience=api.atlassian.com&client_id=<Client ID>&scope=${['offline_access', ...o.scopes].join('%20')}&redirect_uri=http://localhost&response_type=code&prompt=consent\`,`,
    'picks the site, and exchanges the `code` from the redirect with a POST to `https://auth.atlassian.com/oauth/token`',
    '(`grant_type=authorization_code`, client id and secret, code, redirect_uri). Fill `CLIENT_ID`, `CLIENT_SECRET` and `REFRESH_TOKEN` from it;',
    'Atlassian rotates the refresh token on every use, so the proxy writes each new one back (the secrets `REFRESH_TOKEN` and `ACCESS_TOKEN`',
    'must be writable) and shares one token between instances. `GET /oauth/token/accessible-resources` names the cloud id to use in paths.',
  ].join('\n');
}

/** The sites the token may reach (where the cloud id comes from); the site's name may name people. */
export const ACCESSIBLE_RESOURCES_ENDPOINT = `
  - pathTemplate: /oauth/token/accessible-resources
    transforms:${redact(['$..name', '$..scopes', '$..avatarUrl'])}`;

export const accessibleResourcesExample = (scopes: string[]): ExampleCall => ({
  name: 'Get accessible resources', path: '/oauth/token/accessible-resources',
  response: (org) => [{ id: CLOUD_ID, url: SITE, name: personalText(org, `${person(org, 0).lastName} family workspace`), scopes, avatarUrl: 'https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/rocket.png' }],
});
