/**
 * What to check when Microsoft Entra's token endpoint (`login.microsoftonline.com/<tenant>/oauth2/v2.0/token`)
 * refuses a client-assertion request, by its OAuth error code; `credential` says what proves the
 * client in this grant (a certificate, a federated identity).
 */
export function entraHint(credential: string): (status: number, oauthError: string) => string {
  return (status, oauthError) => {
    switch (oauthError) {
      case 'invalid_client': return `check CLIENT_ID, ${credential}, and the host clock (the assertion is valid for minutes only)`;
      case 'unauthorized_client': return 'check CLIENT_ID: the app registration is not in the tenant of REFRESH_ENDPOINT';
      case 'invalid_scope': return 'check TOKEN_SCOPE (client credentials need a resource\'s /.default scope, e.g. https://graph.microsoft.com/.default)';
      case 'invalid_request': return 'check REFRESH_ENDPOINT (the tenant id) and TOKEN_SCOPE';
      case 'temporarily_unavailable': return 'the token endpoint is temporarily unavailable; retry later';
    }
    if (status === 429) return 'the token endpoint is throttling requests; retry later';
    if (status >= 500) return 'the token endpoint failed; retry later';
    return `check CLIENT_ID, ${credential}, TOKEN_SCOPE and REFRESH_ENDPOINT`;
  };
}
