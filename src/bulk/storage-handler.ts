/**
 * psoxy's StorageHandler (bulk.md §1), platform-neutral: for one object that landed in the input
 * bucket, run the default transform (and any ADDITIONAL_TRANSFORMS), each streaming the object
 * from the store through the rules into an upload that is aborted on failure, so a failed file
 * leaves no partial output. Platforms provide an `ObjectStore` (S3, GCS) and the configuration.
 */
import { createHash } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import { parse as parseYaml } from 'yaml';
import { loadBulkRules, type BulkRules, type RecordFormat } from './rules.ts';
import { applicableRules, effectiveContentType, NoApplicableRulesError, sanitizeStream, type BulkProgress } from './process.ts';
import type { Pseudonymizer } from '../pseudonym/pseudonymizer.ts';
import { saltSha256Hash, PSOXY_COMPAT_VERSION } from '../proxy/health.ts';
import type { Logger } from '../logging/logger.ts';

export interface ObjectInfo {
  contentType: string | null;
  contentEncoding: string | null;
  metadata: Record<string, string>;
}

export interface ObjectStore {
  head(bucket: string, key: string): Promise<ObjectInfo>;
  /** The object's bytes as stored (no transcoding). */
  read(bucket: string, key: string): Promise<Readable>;
  /** Uploads `body`; if `body` errors, the upload is abandoned and no object is created. */
  write(bucket: string, key: string, body: Readable, info: ObjectInfo): Promise<void>;
}

export interface BulkTransform {
  destinationBucketName: string;
  pathWithinBucket: string;
  rules: BulkRules;
  compressOutput?: boolean;
}

export interface StorageHandlerConfig {
  outputBucket: string;
  rules: BulkRules;
  /** The raw RULES value as configured (its SHA-1 goes into the output metadata). */
  rulesText: string | null;
  inputBasePath?: string | null;
  outputBasePath?: string | null;
  additionalTransforms?: BulkTransform[];
  compressOutputAlways?: boolean;
  outputFormat?: RecordFormat | null;
  /** BULK_MAX_RECORD_BYTES (default DEFAULT_MAX_RECORD_BYTES). */
  maxRecordBytes?: number;
  instanceId: string;
  salt: string;
}

export type ObjectResult =
  | { status: 'written'; bucket: string; key: string; rows: number }
  | { status: 'skipped'; reason: string };

/** Parses `ADDITIONAL_TRANSFORMS` (a YAML list). */
export function parseAdditionalTransforms(yaml: string | undefined | null): BulkTransform[] {
  if (!yaml || yaml.trim() === '') return [];
  const list = parseYaml(yaml) as unknown;
  if (!Array.isArray(list)) throw new Error('ADDITIONAL_TRANSFORMS must be a YAML list');
  return list.map((t: Record<string, unknown>, i) => {
    if (typeof t.destinationBucketName !== 'string' || t.destinationBucketName === '') throw new Error(`ADDITIONAL_TRANSFORMS[${i}] needs destinationBucketName`);
    return {
      destinationBucketName: t.destinationBucketName,
      pathWithinBucket: typeof t.pathWithinBucket === 'string' ? t.pathWithinBucket : '',
      rules: loadBulkRules(JSON.stringify(t.rules ?? {}), `ADDITIONAL_TRANSFORMS[${i}].rules`),
      ...(typeof t.compressOutput === 'boolean' ? { compressOutput: t.compressOutput } : {}),
    };
  });
}

/** psoxy's compression decision (bulk.md §1.7). */
export function shouldCompress(inputCompressed: boolean, always: boolean | undefined, transformSetting: boolean | undefined): boolean {
  if (transformSetting !== undefined) return transformSetting;
  return inputCompressed || (always ?? true);
}

export class StorageHandler {
  private readonly store: ObjectStore;
  private readonly config: StorageHandlerConfig;
  private readonly pseudonymizer: Pseudonymizer;
  private readonly logger: Logger;

  constructor(store: ObjectStore, config: StorageHandlerConfig, pseudonymizer: Pseudonymizer, logger: Logger) {
    this.store = store;
    this.config = config;
    this.pseudonymizer = pseudonymizer;
    this.logger = logger;
  }

  async handle(bucket: string, key: string): Promise<ObjectResult[]> {
    const c = this.config;
    const transforms: BulkTransform[] = [
      { destinationBucketName: c.outputBucket, pathWithinBucket: c.outputBasePath ?? '', rules: c.rules },
      ...(c.additionalTransforms ?? []),
    ];
    const results: ObjectResult[] = [];
    for (const t of transforms) results.push(await this.transform(bucket, key, t));
    return results;
  }

  private async transform(bucket: string, key: string, t: BulkTransform): Promise<ObjectResult> {
    const c = this.config;
    const info = await this.store.head(bucket, key);
    if (info.metadata['psoxy-instance-id'] === c.instanceId) {
      this.logger.warn('object was written by this instance; skipping to avoid a loop', { bucket });
      return { status: 'skipped', reason: 'written by this instance' };
    }
    try {
      applicableRules(t.rules, key);
    } catch (e) {
      if (e instanceof NoApplicableRulesError) {
        this.logger.warn('no rules apply to the object; nothing written', { bucket, key });
        return { status: 'skipped', reason: e.message };
      }
      throw e;
    }
    const inputBase = c.inputBasePath && c.inputBasePath.trim() !== '' ? c.inputBasePath : null;
    const destKey = t.pathWithinBucket + (inputBase ? key.replaceAll(inputBase, '') : key);
    const decompress = info.contentEncoding === 'gzip' || key.endsWith('.gz');
    if (key.endsWith('.gz') && info.contentEncoding !== 'gzip') this.logger.warn('object name ends with .gz but it has no gzip Content-Encoding');
    const compress = shouldCompress(decompress, c.compressOutputAlways, t.compressOutput);
    const contentType = effectiveContentType(info.contentType, key);
    const progress: BulkProgress = { rows: 0, bytesIn: 0 };
    const body = new PassThrough();
    const metadata: Record<string, string> = {
      'psoxy-instance-id': c.instanceId,
      'psoxy-version': PSOXY_COMPAT_VERSION,
      'psoxy-original-object-key': `${bucket}/${key}`,
      'psoxy-rules-sha': c.rulesText !== null ? createHash('sha1').update(c.rulesText).digest('hex') : 'unknown',
      'psoxy-salt-sha': saltSha256Hash(c.salt),
    };
    const upload = this.store.write(t.destinationBucketName, destKey, body, {
      contentType,
      contentEncoding: compress ? 'gzip' : info.contentEncoding,
      metadata,
    });
    const processing = sanitizeStream(await this.store.read(bucket, key), body, {
      rules: t.rules, objectPath: key, contentType, outputFormat: c.outputFormat ?? null, pseudonymizer: this.pseudonymizer, maxRecordBytes: c.maxRecordBytes,
      decompress, compress, progress, warn: (m) => this.logger.warn(m),
    }).catch((e: Error) => {
      body.destroy(e); // abandons the upload: no partial object
      throw e;
    });
    await Promise.all([processing, upload]);
    this.logger.info('sanitized object written', { bucket: t.destinationBucketName, key: destKey, rows: progress.rows });
    return { status: 'written', bucket: t.destinationBucketName, key: destKey, rows: progress.rows };
  }
}
