/**
 * The SSM operations the store makes, behind one small interface with two implementations:
 * - `ssmJsonApi` (ssm-json-api.ts): SSM's JSON protocol signed with SigV4 over node:https, used on
 *   Lambda when the environment holds everything the SDK would resolve (credentials, region, a
 *   standard endpoint): the SDK's import and first-call set-up cost ~55–70 ms of main-thread time,
 *   a third of the cold-start budget.
 * - `sdkSsmApi`: the AWS SDK v3 client, for everything else (and whenever a client is given).
 * Both answer with SSM's JSON shapes and fail with errors named as the SDK names them
 * (`ParameterNotFound`, `AccessDeniedException`, `ThrottlingException`…), so `SsmStore` reads
 * them the same way.
 */
import type { SSMClient } from '@aws-sdk/client-ssm';

export type SsmOperation = 'GetParameter' | 'GetParameters' | 'GetParameterHistory' | 'PutParameter' | 'DeleteParameter';

/** A parameter as the operations answer it (`LastModifiedDate`: a Date from the SDK, epoch seconds over JSON). */
export interface SsmParameter {
  Name?: string;
  Value?: string;
  Version?: number;
  LastModifiedDate?: Date | number;
}

export interface SsmApi {
  call(operation: SsmOperation, input: Record<string, unknown>): Promise<{ Parameter?: SsmParameter; Parameters?: SsmParameter[]; NextToken?: string }>;
}

/** The AWS SDK client behind the interface; the SDK (its commands) loads on the first call. */
export function sdkSsmApi(client: SSMClient | (() => Promise<SSMClient>)): SsmApi {
  let loaded: Promise<{ client: SSMClient; commands: typeof import('./ssm-sdk.ts').SSM_COMMANDS }> | null = null;
  return {
    async call(operation, input) {
      loaded ??= import('./ssm-sdk.ts').then(async (m) => ({ client: typeof client === 'function' ? await client() : client, commands: m.SSM_COMMANDS }));
      const { client: c, commands } = await loaded;
      // One command class per operation; the input shapes are the operation's (SSM's API reference).
      const Command = commands[operation] as unknown as new (input: Record<string, unknown>) => Parameters<SSMClient['send']>[0];
      return await c.send(new Command(input)) as Awaited<ReturnType<SsmApi['call']>>;
    },
  };
}

/** `LastModifiedDate` in milliseconds, whichever form it came in. */
export function modifiedMs(p: SsmParameter | undefined): number | undefined {
  const d = p?.LastModifiedDate;
  return d === undefined ? undefined : typeof d === 'number' ? d * 1000 : d.getTime();
}
