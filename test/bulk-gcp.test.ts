// GCP bulk mode: the real functions framework serving the CloudEvent function, and the real
// @google-cloud/storage client against a local fake of the Cloud Storage JSON API.
import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { Storage } from '@google-cloud/storage';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { FakeGcs } from './fakes/gcs-fake.ts';
import { registerGcsBulkFunction } from '../src/runtimes/gcp/bulk-function.ts';
import { ConfigService } from '../src/config/config-service.ts';
import { memoryLogger } from '../src/logging/logger.ts';
import type { ObjectResult } from '../src/bulk/storage-handler.ts';

test('object finalize CloudEvent → sanitized object via the functions framework; failures leave nothing', async () => {
  const fake = new FakeGcs();
  const endpoint = await fake.start();
  const storage = new Storage({ apiEndpoint: endpoint, projectId: 'test-project' });
  const results: ObjectResult[][] = [];
  registerGcsBulkFunction('psoxyBulkTest', {
    storage, instanceId: 'psoxy-bulk-test', logger: memoryLogger(), onResult: (r) => results.push(r),
    config: new ConfigService({ env: { PSOXY_SALT: 'salt', OUTPUT_BUCKET: 'out', SOURCE: 'zoom-ai-metrics' }, instancePrefix: 'PSOXY_BULK_TEST_' }),
  });
  const server = getTestServer('psoxyBulkTest');
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const send = (name: string) => fetch(base, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json', 'ce-id': '1', 'ce-specversion': '1.0', 'ce-source': '//storage.googleapis.com/projects/_/buckets/in',
      'ce-type': 'google.cloud.storage.object.v1.finalized', 'ce-subject': `objects/${name}`,
    },
    body: JSON.stringify({ bucket: 'in', name }),
  });
  try {
    await storage.bucket('in').file('metrics/ai.csv').save('\ufeffUser Name,Email,Action,Department\r\nperson 1,person_1@acme.com,13,PMO\r\n', { resumable: true, validation: false, metadata: { contentType: 'text/csv' } });
    const res = await send('metrics/ai.csv');
    assert.equal(res.status, 204, await res.text());
    const out = fake.objects.get('out/metrics/ai.csv');
    assert.ok(out, [...fake.objects.keys()].join(','));
    assert.equal(out.contentEncoding, 'gzip');
    assert.equal(out.metadata['psoxy-instance-id'], 'psoxy-bulk-test');
    assert.equal(gunzipSync(out.body).toString(), 'User Name,Email,Action\r\nt~GI144xrPnMS9IwneeTEzMfcC2zowYSHHhVaReTIDXeo,t~-MFHtQFQtPUXyclPE-B71x_F4jJStaMz9ZN-kWFE4_o@acme.com,13\r\n');

    const rows = Array.from({ length: 200_000 }, (_, i) => (i === 190_000 ? 'short' : `p${i},u${i}@x.com,1,D`)).join('\r\n');
    await storage.bucket('in').file('metrics/bad.csv').save(`User Name,Email,Action,Department\r\n${rows}\r\n`, { resumable: true, validation: false });
    const started = fake.stats.sessionsStarted;
    // The functions framework reports a failed function on stderr: kept here, not in the test report.
    const reported = mock.method(console, 'error', () => {});
    const bad = await send('metrics/bad.csv').finally(() => reported.mock.restore());
    assert.equal(bad.status, 500);
    assert.match(String(reported.mock.calls[0]?.arguments[0]), /line 190002: the row has 1 values/);
    assert.ok(fake.stats.sessionsStarted > started, 'an upload had started');
    assert.equal(fake.objects.has('out/metrics/bad.csv'), false, 'no partial object');
  } finally {
    await new Promise((r) => server.close(r));
    await fake.stop();
  }
});
