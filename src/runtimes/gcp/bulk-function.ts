/**
 * GCP bulk mode: a CloudEvent function (`google.cloud.storage.object.v1.finalized`) served by the
 * functions framework, sanitizing each new object of the input bucket into OUTPUT_BUCKET.
 */
import * as functions from '@google-cloud/functions-framework';
import type { Storage } from '@google-cloud/storage';
import type { ConfigService } from '../../config/config-service.ts';
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

