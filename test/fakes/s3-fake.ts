// A fake of the S3 REST API on 127.0.0.1 (path-style), enough for the real AWS SDK v3 client and
// lib-storage: HeadObject, GetObject, PutObject, multipart upload (create, part, complete, abort).
import { createHash, randomUUID } from 'node:crypto';
import type { RunningServer } from '../../src/runtimes/node/server.ts';
import { listenWithBody } from './http.ts';
import type { StoredObject } from './stored-object.ts';


export class FakeS3 {
  readonly objects = new Map<string, StoredObject>();
  readonly stats = { multipartCreated: 0, multipartCompleted: 0, multipartAborted: 0, puts: 0 };
  private readonly uploads = new Map<string, { key: string; parts: Map<number, Buffer>; head: Omit<StoredObject, 'body'> }>();
  private server: RunningServer | null = null;
  /** `bucket/key` prefixes GetObject is granted on (null: everything, as before `grantGetObject`). */
  private readable: string[] | null = null;
  /** Reads refused by the grant, as `bucket/key`. */
  readonly denied: string[] = [];

  /**
   * From now on reads are allowed only under these `bucket/key` prefixes, and, as in S3 without
   * s3:ListBucket, a missing object under them answers 403 AccessDenied rather than 404.
   */
  grantGetObject(prefixes: string[]): void {
    this.readable = prefixes;
  }

  async start(): Promise<string> {
    this.server = await listenWithBody((req, res, raw) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const [, bucket, ...rest] = url.pathname.split('/');
      const key = `${decodeURIComponent(bucket)}/${rest.map(decodeURIComponent).join('/')}`;
      const body = decodeAwsChunked(raw, String(req.headers['content-encoding'] ?? ''), String(req.headers['x-amz-content-sha256'] ?? ''));
      const head = (): Omit<StoredObject, 'body'> => ({
        contentType: req.headers['content-type'],
        contentEncoding: String(req.headers['content-encoding'] ?? '').split(',').map((s) => s.trim()).filter((s) => s && s !== 'aws-chunked').join(',') || undefined,
        metadata: Object.fromEntries(Object.entries(req.headers).filter(([k]) => k.startsWith('x-amz-meta-')).map(([k, v]) => [k.slice(11), String(v)])),
      });
      const xml = (status: number, text: string) => { res.writeHead(status, { 'Content-Type': 'application/xml' }); res.end(`<?xml version="1.0" encoding="UTF-8"?>${text}`); };
      const uploadId = url.searchParams.get('uploadId');
      if (req.method === 'POST' && url.searchParams.has('uploads')) {
        const id = randomUUID();
        this.uploads.set(id, { key, parts: new Map(), head: head() });
        this.stats.multipartCreated++;
        return xml(200, `<InitiateMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${rest.join('/')}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`);
      }
      if (uploadId !== null) {
        const u = this.uploads.get(uploadId);
        if (!u) return xml(404, '<Error><Code>NoSuchUpload</Code></Error>');
        if (req.method === 'PUT') {
          u.parts.set(Number(url.searchParams.get('partNumber')), body);
          res.writeHead(200, { ETag: `"${createHash('md5').update(body).digest('hex')}"` });
          return res.end();
        }
        if (req.method === 'POST') {
          const parts = [...u.parts.entries()].sort(([a], [b]) => a - b).map(([, b]) => b);
          this.objects.set(u.key, { ...u.head, body: Buffer.concat(parts) });
          this.uploads.delete(uploadId);
          this.stats.multipartCompleted++;
          return xml(200, `<CompleteMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${rest.join('/')}</Key><ETag>"x"</ETag></CompleteMultipartUploadResult>`);
        }
        if (req.method === 'DELETE') {
          this.uploads.delete(uploadId);
          this.stats.multipartAborted++;
          res.writeHead(204);
          return res.end();
        }
      }
      const obj = this.objects.get(key);
      if (this.readable && (req.method === 'GET' || req.method === 'HEAD') && (!obj || !this.readable.some((p) => key.startsWith(p)))) {
        this.denied.push(key);
        return xml(403, '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>');
      }
      if (req.method === 'PUT') {
        this.objects.set(key, { ...head(), body });
        this.stats.puts++;
        res.writeHead(200, { ETag: '"x"' });
        return res.end();
      }
      if (!obj) {
        if (req.method === 'HEAD') { res.writeHead(404); return res.end(); }
        return xml(404, '<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>');
      }
      const headers: Record<string, string> = { 'Content-Length': String(obj.body.length), ETag: '"x"', 'Last-Modified': new Date().toUTCString() };
      if (obj.contentType) headers['Content-Type'] = obj.contentType;
      if (obj.contentEncoding) headers['Content-Encoding'] = obj.contentEncoding;
      for (const [k, v] of Object.entries(obj.metadata)) headers[`x-amz-meta-${k}`] = v;
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : obj.body);
    });
    return this.server.url;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }
}

/** Decodes the `aws-chunked` body encoding the SDK may use for streaming uploads. */
function decodeAwsChunked(body: Buffer, encoding: string, sha: string): Buffer {
  if (!encoding.includes('aws-chunked') && !sha.startsWith('STREAMING')) return body;
  const out: Buffer[] = [];
  let i = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', i);
    if (eol < 0) break;
    const size = parseInt(body.subarray(i, eol).toString().split(';')[0], 16);
    if (!size) break;
    out.push(body.subarray(eol + 2, eol + 2 + size));
    i = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}
