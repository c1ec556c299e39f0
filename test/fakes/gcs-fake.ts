// A fake of the Cloud Storage JSON API on 127.0.0.1, enough for @google-cloud/storage:
// object metadata, media download, and resumable uploads (finalized only on the last chunk).
import { randomUUID } from 'node:crypto';
import type { RunningServer } from '../../src/runtimes/node/server.ts';
import { listenWithBody } from './http.ts';
import type { StoredObject } from './stored-object.ts';


export class FakeGcs {
  readonly objects = new Map<string, StoredObject>();
  readonly stats = { sessionsStarted: 0, sessionsFinalized: 0 };
  private readonly sessions = new Map<string, { bucket: string; name: string; meta: Omit<StoredObject, 'body'>; chunks: Buffer[] }>();
  private server: RunningServer | null = null;
  /** `bucket/name` prefixes object reads are granted on (null: everything). */
  private readable: string[] | null = null;
  /** Reads refused by the grant, as `bucket/name`. */
  readonly denied: string[] = [];

  /** Object Viewer under an IAM condition on these `bucket/name` prefixes: reads elsewhere answer 403. */
  grantObjectViewer(prefixes: string[]): void {
    this.readable = prefixes;
  }

  async start(): Promise<string> {
    this.server = await listenWithBody((req, res, body) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const json = (status: number, v: unknown) => { res.writeHead(status, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(v)); };
      const describe = (bucket: string, name: string, o: StoredObject) => ({
        kind: 'storage#object', bucket, name, size: String(o.body.length), generation: '1',
        contentType: o.contentType, contentEncoding: o.contentEncoding, metadata: o.metadata,
      });
      const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
      if (upload && req.method === 'POST' && url.searchParams.get('uploadType') === 'resumable') {
        const meta = body.length ? (JSON.parse(body.toString()) as { contentEncoding?: string; metadata?: Record<string, string> }) : {};
        const id = randomUUID();
        this.sessions.set(id, {
          bucket: decodeURIComponent(upload[1]), name: url.searchParams.get('name') ?? '',
          meta: { contentType: req.headers['x-upload-content-type'] as string | undefined, contentEncoding: meta.contentEncoding, metadata: meta.metadata ?? {} },
          chunks: [],
        });
        this.stats.sessionsStarted++;
        res.writeHead(200, { Location: `${this.server!.url}/upload/storage/v1/b/${upload[1]}/o?uploadType=resumable&upload_id=${id}` });
        return res.end();
      }
      const uploadId = url.searchParams.get('upload_id');
      if (uploadId && req.method === 'PUT') {
        const s = this.sessions.get(uploadId);
        if (!s) return json(404, { error: { code: 404, message: 'no such upload' } });
        s.chunks.push(body);
        const range = String(req.headers['content-range'] ?? '');
        const received = s.chunks.reduce((a, c) => a + c.length, 0);
        // `bytes A-B/*`: one chunk of many; `bytes A-*/*` (whole stream) or `.../TOTAL`: the last.
        if (/^bytes \d+-\d+\/\*$/.test(range)) {
          res.writeHead(308, received > 0 ? { Range: `bytes=0-${received - 1}` } : {});
          return res.end();
        }
        const o: StoredObject = { ...s.meta, body: Buffer.concat(s.chunks) };
        this.objects.set(`${s.bucket}/${s.name}`, o);
        this.sessions.delete(uploadId);
        this.stats.sessionsFinalized++;
        return json(200, describe(s.bucket, s.name, o));
      }
      const get = /^\/(?:download\/)?storage\/v1\/b\/([^/]+)\/o\/(.+)$/.exec(url.pathname);
      if (get && req.method === 'GET') {
        const bucket = decodeURIComponent(get[1]);
        const name = decodeURIComponent(get[2]);
        const o = this.objects.get(`${bucket}/${name}`);
        if (this.readable && !this.readable.some((p) => `${bucket}/${name}`.startsWith(p))) {
          this.denied.push(`${bucket}/${name}`);
          return json(403, { error: { code: 403, message: 'caller does not have storage.objects.get access' } });
        }
        if (!o) return json(404, { error: { code: 404, message: `No such object: ${bucket}/${name}` } });
        if (url.searchParams.get('alt') === 'media') {
          res.writeHead(200, { 'Content-Type': o.contentType ?? 'application/octet-stream', ...(o.contentEncoding ? { 'Content-Encoding': o.contentEncoding } : {}) });
          return res.end(o.body);
        }
        return json(200, describe(bucket, name, o));
      }
      json(404, { error: { code: 404, message: `unsupported: ${req.method} ${url.pathname}` } });
    });
    return this.server.url;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }
}
