/**
 * GCP bulk mode: a CloudEvent function (`google.cloud.storage.object.v1.finalized`) served by the
 * functions framework, sanitizing each new object of the input bucket into OUTPUT_BUCKET.
 */
import * as functions from '@google-cloud/functions-framework';
import type { Storage } from '@google-cloud/storage';
import type { ConfigService } from '../../config/config-service.ts';
import { gcpConfig } from './api-function.ts';
import { StorageHandler, type ObjectResult } from '../../bulk/storage-handler.ts';
import { GcsObjectStore } from './gcs-store.ts';
import { bulkConfig } from '../bulk-config.ts';
import { jsonLogger, type Logger } from '../../logging/logger.ts';

export interface GcsObjectData {
  bucket: string;
  name: string;
}

export function createGcsBulkHandler(deps: { storage: Storage; config: ConfigService; logger?: Logger; instanceId: string; onResult?: (r: ObjectResult[]) => void }) {
  const logger = deps.logger ?? jsonLogger();
  return async (event: functions.CloudEvent<GcsObjectData>): Promise<void> => {
    if (event.type && !/storage\.object\.(v1\.)?finalized?$/.test(event.type)) {
      logger.warn('ignoring a CloudEvent that is not an object finalize', { type: event.type });
      return;
    }
    const data = event.data;
    if (!data?.bucket || !data.name) throw new Error('CloudEvent has no bucket/name');
    const { handler, pseudonymizer } = await bulkConfig(deps.config, deps.instanceId);
    const results = await new StorageHandler(new GcsObjectStore(deps.storage), handler, pseudonymizer, logger).handle(data.bucket, data.name);
    deps.onResult?.(results);
  };
}

/** Registers the function under `name` with the functions framework. */
export function registerGcsBulkFunction(name: string, deps: Parameters<typeof createGcsBulkHandler>[0]): void {
  functions.cloudEvent<GcsObjectData>(name, createGcsBulkHandler(deps));
}

/**
 * Default registration for deployment (entry point `psoxyBulk`), built on the first event: config
 * as the API function reads it (env, then Secret Manager with the shared salt and key, rules from
 * REMOTE_RESOURCE_BUCKET).
 */
export function registerDefault(): void {
  // Built on the first event, the Storage client with it: the API function, registered beside this
  // one in the same deployment, never loads the Google client libraries unless it uses them.
  let handler: Promise<ReturnType<typeof createGcsBulkHandler>> | null = null;
  functions.cloudEvent<GcsObjectData>('psoxyBulk', async (event: functions.CloudEvent<GcsObjectData>) => {
    handler ??= import('@google-cloud/storage').then(({ Storage }) => {
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
