/**
 * The built-in Zoom connector: psoxy's settings for `SOURCE=zoom` (zoom-and-cloud.md §1.2). They are
 * defaults: any of them can be overridden by env or the config stores (e.g. TARGET_HOST to point at
 * the simulator).
 */
export const ZOOM_DEFAULTS: Record<string, string> = {
  SOURCE: 'zoom',
  TARGET_HOST: 'api.zoom.us',
  SOURCE_AUTH_STRATEGY_IDENTIFIER: 'oauth2_refresh_token',
  GRANT_TYPE: 'account_credentials',
  REFRESH_ENDPOINT: 'https://zoom.us/oauth/token',
  USE_SHARED_TOKEN: 'true',
};

/** The three values an administrator copies from the Zoom Server-to-Server OAuth app. */
export const ZOOM_SECRETS = ['ACCOUNT_ID', 'CLIENT_ID', 'CLIENT_SECRET'] as const;
