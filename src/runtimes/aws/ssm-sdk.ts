/**
 * The SDK half of `sdkSsmApi` (ssm-api.ts), imported on its first call. The SDK is imported
 * statically here so that esbuild keeps only these commands: a dynamic
 * `import('@aws-sdk/client-ssm')` would keep every command, error and schema (~165 KiB).
 */
import {
  DeleteParameterCommand, GetParameterCommand, GetParameterHistoryCommand, GetParametersCommand, PutParameterCommand, SSMClient,
} from '@aws-sdk/client-ssm';

export const SSM_COMMANDS = {
  GetParameter: GetParameterCommand,
  GetParameters: GetParametersCommand,
  GetParameterHistory: GetParameterHistoryCommand,
  PutParameter: PutParameterCommand,
  DeleteParameter: DeleteParameterCommand,
};

/** A client with the Lambda's credentials, resolved by the SDK's default chains. */
export function defaultSsmClient(): SSMClient {
  return new SSMClient({});
}
