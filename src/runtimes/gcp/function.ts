/**
 * The GCP Cloud Functions (gen2) entry point: registers the API proxy as the HTTP function
 * `psoxy` and bulk mode as the CloudEvent function `psoxyBulk` with the functions framework.
 */
import * as functions from '@google-cloud/functions-framework';
import type { GcsObjectData } from './bulk-function.ts';
import { gcpConfig, registerApiFunction } from './api-function.ts';

/**
 * Bulk mode (entry point `psoxyBulk`), built on the first event: config as the API function reads
 * it (env, then Secret Manager with the shared salt and key, rules from REMOTE_RESOURCE_BUCKET).
 * Imported then, with the Storage client: the API function, registered beside it in the same
 * deployment, loads neither bulk code (which reads YAML, ~25 ms to load) nor the Google client
 * libraries unless it uses them (the bundle is split for this).
 */
function registerBulk(): void {
  let handler: Promise<(event: functions.CloudEvent<GcsObjectData>) => Promise<void>> | null = null;
  functions.cloudEvent<GcsObjectData>('psoxyBulk', async (event: functions.CloudEvent<GcsObjectData>) => {
    handler ??= Promise.all([import('./bulk-function.ts'), import('@google-cloud/storage')]).then(([{ createGcsBulkHandler }, { Storage }]) => {
      const storage = new Storage();
      return createGcsBulkHandler({
        storage,
        config: gcpConfig({
          env: process.env,
          project: process.env.GOOGLE_CLOUD_PROJECT ?? process.env.GCP_PROJECT ?? '',
          storage: async () => storage,
        }),
        instanceId: process.env.K_SERVICE ?? 'psoxy-bulk',
      });
    });
    return (await handler)(event);
  });
}

registerApiFunction('psoxy');
registerBulk();
// For the cold-start bench, which registers the proxy with a client pointed at its Secret Manager fake.
export { registerApiFunction };
export { SecretManagerRest } from './secret-manager-rest.ts';
