/**
 * An OpenID token for the proxy's developer identity from Amazon Cognito
 * (`GetOpenIdTokenForDeveloperIdentity`, psoxy's AWS workload identity federation), with the real
 * SDK v3 client. This module is imported on first use (workload-identity-federation.ts), so other
 * deployments never load it; the SDK is imported statically here so that esbuild keeps only the
 * one command (a dynamic import of the SDK would keep all of it). The pool id
 * (`<region>:<guid>`) names the region; `AWS_ENDPOINT_URL_COGNITO_IDENTITY` (the SDK's convention)
 * may point elsewhere.
 */
import { CognitoIdentityClient, GetOpenIdTokenForDeveloperIdentityCommand } from '@aws-sdk/client-cognito-identity';
import { TokenEndpointError } from '../../auth/source-auth.ts';
import { awsErrorName, awsFailureCause } from './error-name.ts';

export interface DeveloperIdentity {
  identityPoolId: string;
  identityId: string;
  /** The developer provider name, key of the logins map. */
  developerName: string;
  /** The login of that provider: psoxy uses the app's CLIENT_ID. */
  login: string;
}

/** What to check for each refusal Cognito gives this call. */
const ADVICE: Record<string, string> = {
  ResourceNotFoundException: 'check IDENTITY_POOL_ID (and IDENTITY_ID: it must belong to that pool)',
  NotAuthorizedException: 'check DEVELOPER_NAME_ID: it must be the developer provider name of the identity pool',
  ResourceConflictException: 'check IDENTITY_ID: it is linked to another developer login than CLIENT_ID',
  InvalidParameterException: 'check IDENTITY_POOL_ID (<region>:<guid>), IDENTITY_ID and DEVELOPER_NAME_ID',
  AccessDeniedException: "the function's role needs cognito-identity:GetOpenIdTokenForDeveloperIdentity on the identity pool",
};

export async function cognitoClient(identityPoolId: string, endpoint: string | undefined, timeoutMs: number): Promise<CognitoIdentityClient> {
  return new CognitoIdentityClient({
    region: identityPoolId.split(':')[0],
    ...(endpoint ? { endpoint } : {}),
    requestHandler: { requestTimeout: timeoutMs, connectionTimeout: timeoutMs },
  });
}

export async function cognitoIdentityToken(client: CognitoIdentityClient, id: DeveloperIdentity): Promise<string> {
  let token: string | undefined;
  try {
    ({ Token: token } = await client.send(new GetOpenIdTokenForDeveloperIdentityCommand({
      IdentityPoolId: id.identityPoolId,
      IdentityId: id.identityId,
      Logins: { [id.developerName]: id.login },
    })));
  } catch (e) {
    const advice = ADVICE[awsErrorName(e)] ?? 'retry later; if it persists check IDENTITY_POOL_ID and outbound access to Cognito';
    throw new TokenEndpointError(0, `no identity token from Cognito GetOpenIdTokenForDeveloperIdentity: ${awsFailureCause(e)}; ${advice}`);
  }
  if (!token) throw new TokenEndpointError(0, 'Cognito GetOpenIdTokenForDeveloperIdentity answered without a token');
  return token;
}
