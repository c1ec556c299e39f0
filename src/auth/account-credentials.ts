/**
 * The OAuth `account_credentials` grant (Zoom Server-to-Server OAuth): POST the form
 * `account_id=…&grant_type=account_credentials` with HTTP Basic `client_id:client_secret`.
 */
import { requestToken, type IssuedToken, type TokenRequestOptions } from './token-endpoint.ts';

export interface AccountCredentials {
  endpoint: string;
  accountId: string;
  clientId: string;
  clientSecret: string;
}

export async function requestAccountCredentialsToken(creds: AccountCredentials, options: TokenRequestOptions = {}): Promise<IssuedToken> {
  return requestToken({
    endpoint: creds.endpoint,
    headers: { Authorization: 'Basic ' + Buffer.from(`${creds.clientId.trim()}:${creds.clientSecret.trim()}`, 'utf8').toString('base64') },
    body: new URLSearchParams({ account_id: creds.accountId.trim(), grant_type: 'account_credentials' }).toString(),
    hint,
  }, options);
}

function hint(status: number, detail: string): string {
  if (/invalid_client/.test(detail)) return 'check CLIENT_ID and CLIENT_SECRET (no extra characters; regenerated secrets must be updated)';
  if (/invalid_request/.test(detail)) return 'check ACCOUNT_ID (no extra characters)';
  if (status === 401 || status === 403) return 'check CLIENT_ID, CLIENT_SECRET and that the Server-to-Server OAuth app is activated';
  return 'check ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET and REFRESH_ENDPOINT';
}
