/**
 * The SDK half of the Secrets Manager store's API (secrets-manager-store.ts), imported on first
 * use. The SDK is imported statically here so that esbuild keeps only these commands.
 */
import { GetSecretValueCommand, ListSecretVersionIdsCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export const SECRETS_MANAGER_COMMANDS = {
  GetSecretValue: GetSecretValueCommand,
  PutSecretValue: PutSecretValueCommand,
  ListSecretVersionIds: ListSecretVersionIdsCommand,
};

/** A client with the Lambda's credentials, resolved by the SDK's default chains. */
export function defaultSecretsManagerClient(): SecretsManagerClient {
  return new SecretsManagerClient({});
}
