// AWS bulk mode: the real AWS SDK v3 S3 client and lib-storage against a local fake of S3.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync, gzipSync } from 'node:zlib';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { FakeS3 } from './fakes/s3-fake.ts';
import { createS3BulkHandler } from '../src/runtimes/aws/bulk-handler.ts';
import { ConfigService } from '../src/config/config-service.ts';
import { memoryLogger } from '../src/logging/logger.ts';
import type { ObjectResult } from '../src/bulk/storage-handler.ts';

async function setup(env: Record<string, string>) {
  const fake = new FakeS3();
  const endpoint = await fake.start();
  const s3 = new S3Client({
    endpoint, region: 'us-east-1', forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const results: ObjectResult[][] = [];
  const logger = memoryLogger();
  const handler = createS3BulkHandler({
    s3, logger, instanceId: 'psoxy-zoom-bulk', onResult: (r) => results.push(r),
    config: new ConfigService({ env: { PSOXY_SALT: 'salt', OUTPUT_BUCKET: 'out', ...env }, instancePrefix: 'PSOXY_ZOOM_BULK_' }),
  });
  const put = (key: string, body: string | Buffer, extra: { ContentType?: string; ContentEncoding?: string } = {}) =>
    s3.send(new PutObjectCommand({ Bucket: 'in', Key: key, Body: body, ...extra }));
  const event = (key: string) => ({ Records: [{ s3: { bucket: { name: 'in' }, object: { key: encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/') } } }] });
  return { fake, s3, handler, put, event, results, logger };
}

const AI_CSV = '\ufeffUser Name,Email,Action,Feature used,Department,\r\nperson 1,person_1@acme.com,13,Meeting summary,PMO,\r\n';

test('S3 event → sanitized object in OUTPUT_BUCKET with psoxy metadata, gzip by default', async () => {
  const s = await setup({ SOURCE: 'zoom-ai-metrics', OUTPUT_BASE_PATH: 'out/', INPUT_BASE_PATH: 'uploads/' });
  try {
    await s.put('uploads/ai metrics.csv', AI_CSV, { ContentType: 'text/csv' });
    assert.equal(await s.handler(s.event('uploads/ai metrics.csv')), 'Processed!');
    const out = s.fake.objects.get('out/out/ai metrics.csv');
    assert.ok(out, `objects: ${[...s.fake.objects.keys()].join(', ')}`);
    assert.equal(out.contentEncoding, 'gzip');
    assert.equal(out.contentType, 'text/csv');
    assert.equal(gunzipSync(out.body).toString(), 'User Name,Email,Action,Feature used,\r\nt~GI144xrPnMS9IwneeTEzMfcC2zowYSHHhVaReTIDXeo,t~-MFHtQFQtPUXyclPE-B71x_F4jJStaMz9ZN-kWFE4_o@acme.com,13,Meeting summary,\r\n');
    assert.equal(out.metadata['psoxy-instance-id'], 'psoxy-zoom-bulk');
    assert.equal(out.metadata['psoxy-original-object-key'], 'in/uploads/ai metrics.csv');
    assert.equal(out.metadata['psoxy-salt-sha'], 'pRwka918R7CEI6El1noIhIMJzqBGYUvvqXYHyMvxl2Y');
    assert.equal(out.metadata['psoxy-rules-sha'], 'unknown');
  } finally {
    await s.fake.stop();
  }
});

test('gzip input, NDJSON record rules, COMPRESS_OUTPUT_ALWAYS=false, loop guard', async () => {
  const s = await setup({ RULES: 'format: NDJSON\ntransforms:\n  - pseudonymize: "$.email"\n  - redact: "$.name"', COMPRESS_OUTPUT_ALWAYS: 'false' });
  try {
    await s.put('a.ndjson', gzipSync('{"email":"bob@example.com","name":"Bob"}\n'), { ContentEncoding: 'gzip' });
    await s.handler(s.event('a.ndjson'));
    const out = s.fake.objects.get('out/a.ndjson')!;
    assert.equal(out.contentEncoding, 'gzip', 'compressed input gives compressed output');
    assert.equal(gunzipSync(out.body).toString(), '{"email":"t~PFsxS8oxlBJ9dZkL1zNMvRIajvbO3VzZpbdT-ty6Gm0@example.com","name":null}\n');
    await s.put('b.ndjson', '{"email":"bob@example.com"}\n');
    await s.handler(s.event('b.ndjson'));
    assert.equal(s.fake.objects.get('out/b.ndjson')!.body.toString(), '{"email":"t~PFsxS8oxlBJ9dZkL1zNMvRIajvbO3VzZpbdT-ty6Gm0@example.com"}\n');
    // An object this instance wrote is not processed again.
    s.fake.objects.set('in/c.ndjson', { ...s.fake.objects.get('out/b.ndjson')! });
    await s.handler(s.event('c.ndjson'));
    assert.deepEqual(s.results.at(-1), [{ status: 'skipped', reason: 'written by this instance' }]);
  } finally {
    await s.fake.stop();
  }
});

test('a file that fails midway or matches no rule leaves no output; large files use multipart', async () => {
  const s = await setup({ RULES: 'fileRules:\n  /hris/{file}.csv:\n    columnsToPseudonymize: [email]\n', COMPRESS_OUTPUT_ALWAYS: 'false' });
  try {
    await s.put('other/x.csv', 'email\na@b.com\n');
    await s.handler(s.event('other/x.csv'));
    assert.deepEqual(s.results.at(-1), [{ status: 'skipped', reason: 'No applicable rules found for other/x.csv' }]);
    const rows = Array.from({ length: 250_000 }, (_, i) => `user${i}@example.com`).join('\n');
    await s.put('hris/big.csv', `email\n${rows}\n`);
    await s.handler(s.event('hris/big.csv'));
    const big = s.fake.objects.get('out/hris/big.csv')!;
    assert.ok(big.body.length > 8 * 1024 * 1024, 'over one part');
    assert.ok(s.fake.stats.multipartCompleted >= 1);
    assert.equal(big.body.toString().split('\n').length, 250_002);
    // The bad row comes after more than one part has been uploaded: the upload must be aborted.
    const withB = rows.split('\n').map((r, i) => (i === 240_000 ? 'short' : `${r},1`)).join('\n');
    await s.put('hris/bad.csv', `email,b\n${withB}\n`);
    await assert.rejects(() => s.handler(s.event('hris/bad.csv')), /the row has 1 values but the header has 2/);
    assert.equal(s.fake.objects.has('out/hris/bad.csv'), false);
    // lib-storage sends AbortMultipartUpload just after done() rejects.
    for (let i = 0; i < 100 && s.fake.stats.multipartAborted === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(s.fake.stats.multipartAborted >= 1, `the multipart upload was aborted: ${JSON.stringify(s.fake.stats)}`);
    assert.match(s.logger.lines.join(''), /no rules apply/);
  } finally {
    await s.fake.stop();
  }
});
