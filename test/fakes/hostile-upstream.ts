// A hostile "Zoom": a real node:http server on 127.0.0.1 that serves a well-behaved token endpoint
// (POST /oauth/token, account_credentials) and, for API paths, whatever misbehaviour a test picks:
// gzip / brotli bombs, endless or lying bodies, leaky error bodies and headers, redirects, hangs.
// Every request it receives is recorded (method, raw URL, headers, body length), so tests can
// assert exactly what reached the source, or that nothing did. Everything is generated while
// streaming, with back-pressure: the fake itself stays small whatever it sends.
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable, Transform, pipeline } from 'node:stream';
import { constants as zc, crc32, createBrotliCompress, createDeflateRaw, createGzip } from 'node:zlib';
import { randomBytes } from 'node:crypto';

export interface RecordedRequest {
  method: string;
  /** The request target exactly as received (no normalization). */
  rawUrl: string;
  /** The raw path (before `?`). */
  path: string;
  headers: IncomingHttpHeaders;
  /** Request body bytes received (all of them are counted, at most 64 KiB are kept). */
  bodyLength: number;
  body: Buffer;
  /** Response bytes this fake wrote for the request (streaming behaviours keep it current). */
  bytesSent: number;
  /** The connection closed before the response was complete. */
  aborted: boolean;
}

export interface BehaviourContext {
  req: IncomingMessage;
  res: ServerResponse;
  rec: RecordedRequest;
  upstream: HostileUpstream;
}

/** What the fake does for one request. */
export type Behaviour = (ctx: BehaviourContext) => void | Promise<void>;

const KEEP_BODY = 64 * 1024;
const MiB = 1024 * 1024;

/** Resolves true once the stream can take more, false when it closed first. */
function drainedOrClosed(res: ServerResponse): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => { res.off('drain', onDrain); res.off('close', onClose); resolve(ok); };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

/** Writes chunks from `next` (null = done) with back-pressure; stops when the peer goes away. */
async function pump(res: ServerResponse, rec: RecordedRequest, next: () => Buffer | null, end = true): Promise<void> {
  for (let chunk = next(); chunk !== null; chunk = next()) {
    if (res.destroyed) return;
    rec.bytesSent += chunk.length;
    if (!res.write(chunk) && !(await drainedOrClosed(res))) return;
  }
  if (end && !res.destroyed) res.end();
}

/** Counts bytes on their way to the socket. */
function counter(rec: RecordedRequest): Transform {
  return new Transform({ transform(chunk: Buffer, _enc, cb) { rec.bytesSent += chunk.length; cb(null, chunk); } });
}

// ---- gzip bomb pieces -------------------------------------------------------------------------

/**
 * A single-member gzip stream of `prefix + N MiB of spaces + suffix`, made of precomputed pieces:
 * the deflate output of the first MiB (after the prefix), one steady-state MiB unit (identical for
 * every further MiB once the window holds only spaces) and the final block. ~1 KB per inflated MiB.
 */
interface BombPieces { first: Buffer; unit: Buffer; last: Buffer }
const BOMB_PREFIX = Buffer.from('{"users":[');
const BOMB_SUFFIX = Buffer.from(']}');
const SPACES_MIB = Buffer.alloc(MiB, 0x20);
let bombPieces: Promise<BombPieces> | null = null;

function computeBombPieces(): Promise<BombPieces> {
  return new Promise((resolve, reject) => {
    const d = createDeflateRaw({ level: 9, memLevel: 9 });
    const out: Buffer[] = [];
    d.on('data', (c: Buffer) => out.push(c));
    d.on('error', reject);
    const take = () => { const b = Buffer.concat(out); out.length = 0; return b; };
    const segment = (data: Buffer) => new Promise<Buffer>((r) => { d.write(data); d.flush(zc.Z_SYNC_FLUSH, () => r(take())); });
    void (async () => {
      const first = await segment(Buffer.concat([BOMB_PREFIX, SPACES_MIB]));
      const unit = await segment(SPACES_MIB);
      const again = await segment(SPACES_MIB);
      if (!unit.equals(again)) throw new Error('deflate of repeated spaces is not steady');
      d.on('end', () => resolve({ first, unit, last: take() }));
      d.end(BOMB_SUFFIX);
    })().catch(reject);
  });
}

// zlib's crc32_combine (GF(2) matrices): the CRC of A‖B from crc(A), crc(B) and |B|, so the
// trailer of a 4 GiB bomb costs microseconds instead of checksumming 4 GiB of spaces.
function gf2Times(mat: number[], vec: number): number {
  let sum = 0;
  for (let i = 0, v = vec >>> 0; v !== 0; i++, v >>>= 1) if (v & 1) sum ^= mat[i];
  return sum >>> 0;
}
function gf2Square(square: number[], mat: number[]): void {
  for (let n = 0; n < 32; n++) square[n] = gf2Times(mat, mat[n]);
}
export function crc32Combine(crc1: number, crc2: number, len2: number): number {
  if (len2 <= 0) return crc1 >>> 0;
  const even = new Array<number>(32);
  const odd = new Array<number>(32);
  odd[0] = 0xedb88320;
  for (let n = 1, row = 1; n < 32; n++, row = (row << 1) >>> 0) odd[n] = row;
  gf2Square(even, odd);
  gf2Square(odd, even);
  let c = crc1 >>> 0;
  let len = len2;
  for (;;) {
    gf2Square(even, odd);
    if (len % 2 === 1) c = gf2Times(even, c);
    len = Math.floor(len / 2);
    if (len === 0) break;
    gf2Square(odd, even);
    if (len % 2 === 1) c = gf2Times(odd, c);
    len = Math.floor(len / 2);
    if (len === 0) break;
  }
  return (c ^ crc2) >>> 0;
}

/** The gzip bytes of a bomb inflating to `inflatedMiB` MiB (+ a few bytes of JSON), lazily. */
async function* gzipBombBytes(inflatedMiB: number): AsyncGenerator<Buffer> {
  bombPieces ??= computeBombPieces();
  const { first, unit, last } = await bombPieces;
  yield Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
  const crcMiB = crc32(SPACES_MIB);
  let crc = crc32Combine(crc32(BOMB_PREFIX), crcMiB, MiB);
  yield first;
  // Batches of 64 units (~66 KB) keep the number of chunks small.
  const batch = Buffer.concat(Array.from({ length: 64 }, () => unit));
  let crcBatch = crcMiB;
  for (let i = 1; i < 64; i++) crcBatch = crc32Combine(crcBatch, crcMiB, MiB);
  let left = inflatedMiB - 1;
  while (left > 0) {
    const n = Math.min(64, left);
    if (n === 64) crc = crc32Combine(crc, crcBatch, 64 * MiB);
    else for (let i = 0; i < n; i++) crc = crc32Combine(crc, crcMiB, MiB);
    yield n === 64 ? batch : batch.subarray(0, n * unit.length);
    left -= n;
  }
  yield last;
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(BOMB_SUFFIX, crc) >>> 0, 0);
  trailer.writeUInt32LE((inflatedMiB * MiB + BOMB_PREFIX.length + BOMB_SUFFIX.length) >>> 0, 4);
  yield trailer;
}

/** Spaces in JSON, for compressors that are fed the inflated text (brotli, the outer gzip layer). */
async function* jsonOfSpaces(inflatedMiB: number): AsyncGenerator<Buffer> {
  yield BOMB_PREFIX;
  for (let i = 0; i < inflatedMiB; i++) yield SPACES_MIB;
  yield BOMB_SUFFIX;
}

// ---- behaviours -------------------------------------------------------------------------------

export interface GzipBombOptions {
  /** Inflated size in MiB (default 2048: 2 GiB from ~2 MB of gzip). */
  inflatedMiB?: number;
  /**
   * `gzip` (Content-Encoding: gzip), `gzip, gzip` (two layers: ~2 GiB from a few KB),
   * `br` (brotli), or `application/gzip` (no Content-Encoding; the body's Content-Type says gzip).
   */
  encoding?: 'gzip' | 'gzip, gzip' | 'br' | 'application/gzip';
  status?: number;
}

export const behaviours = {
  /** A JSON answer (`body` as is when a string). */
  json(status: number, body: unknown, headers: Record<string, string | string[]> = {}): Behaviour {
    return ({ res, rec }) => {
      const text = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
      rec.bytesSent += text.length;
      res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': String(text.length), ...headers });
      res.end(text);
    };
  },

  /** A plain-text (or any content type) answer. */
  text(status: number, body: string, headers: Record<string, string | string[]> = {}): Behaviour {
    return ({ res, rec }) => {
      const text = Buffer.from(body);
      rec.bytesSent += text.length;
      res.writeHead(status, { 'Content-Type': 'text/plain;charset=UTF-8', 'Content-Length': String(text.length), ...headers });
      res.end(text);
    };
  },

  /** Raw bytes straight onto the socket (invalid HTTP, lying lengths, forbidden header bytes), then close. */
  raw(bytes: Buffer | string): Behaviour {
    return ({ res, rec }) => {
      const b = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
      rec.bytesSent += b.length;
      res.socket?.end(b);
    };
  },

  /** A 200 whose Content-Length is `declared` while `body` is what is actually sent before closing. */
  lyingLength(declared: number, body: string): Behaviour {
    return behaviours.raw(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\nConnection: close\r\n\r\n${body}`);
  },

  /** A gzip (or brotli) bomb, generated while streaming. */
  gzipBomb(o: GzipBombOptions = {}): Behaviour {
    const mib = o.inflatedMiB ?? 2048;
    const encoding = o.encoding ?? 'gzip';
    return ({ res, rec }) => {
      const headers: Record<string, string> = encoding === 'application/gzip'
        ? { 'Content-Type': 'application/gzip' }
        : { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Encoding': encoding };
      res.writeHead(o.status ?? 200, headers);
      const onDone = () => { if (!res.writableFinished) rec.aborted = true; };
      if (encoding === 'br') {
        pipeline(Readable.from(jsonOfSpaces(mib)), createBrotliCompress({ params: { [zc.BROTLI_PARAM_QUALITY]: 1 } }), counter(rec), res, onDone);
      } else if (encoding === 'gzip, gzip') {
        pipeline(Readable.from(gzipBombBytes(mib)), createGzip({ level: 9 }), counter(rec), res, onDone);
      } else {
        pipeline(Readable.from(gzipBombBytes(mib)), counter(rec), res, onDone);
      }
    };
  },

  /**
   * A 200 JSON body of about `bytes` bytes, streamed: `{"users":[{...alice...,"pad":"xxx…"}, …]}`.
   * Chunked unless `contentLength` is given (the exact size is then sent, honestly).
   */
  hugeJson(bytes: number, o: { contentLength?: boolean; email?: string; status?: number } = {}): Behaviour {
    const email = o.email ?? 'huge.body@acme-corp.com';
    const item = Buffer.from(`{"id":"u-huge","email":"${email}","pad":"${'x'.repeat(64 * 1024)}"},`);
    const head = Buffer.from('{"users":[');
    const tail = Buffer.from(`{"id":"u-last","email":"${email}"}]}`);
    const items = Math.max(0, Math.floor((bytes - head.length - tail.length) / item.length));
    const total = head.length + items * item.length + tail.length;
    return async ({ res, rec }) => {
      res.writeHead(o.status ?? 200, { 'Content-Type': 'application/json', ...(o.contentLength ? { 'Content-Length': String(total) } : {}) });
      let i = -1;
      await pump(res, rec, () => (i++ === -1 ? head : i <= items ? item : i === items + 1 ? tail : null));
      if (!res.writableFinished) rec.aborted = true;
    };
  },

  /** A 200 declaring a Content-Length of `declared` bytes and then streaming them (slowly enough to notice reads). */
  declaredLength(declared: number): Behaviour {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    return async ({ res, rec }) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(declared) });
      let sent = 0;
      await pump(res, rec, () => {
        if (sent >= declared) return null;
        const n = Math.min(chunk.length, declared - sent);
        sent += n;
        return n === chunk.length ? chunk : chunk.subarray(0, n);
      });
      if (!res.writableFinished) rec.aborted = true;
    };
  },

  /** A redirect to `location` (absolute or relative, sent as is). */
  redirect(status: number, location: string): Behaviour {
    return behaviours.json(status, { code: status, message: 'moved' }, { Location: location });
  },

  /** Never answers (until `upstream.release()` or the connection closes). */
  hang(): Behaviour {
    return ({ res, upstream }) => { upstream.hanging.add(res); res.on('close', () => upstream.hanging.delete(res)); };
  },

  /** Status and headers at once, then one byte of JSON whitespace every `intervalMs`, forever. */
  slowBody(intervalMs = 100): Behaviour {
    return ({ res, rec }) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"users":[');
      const t = setInterval(() => { rec.bytesSent++; res.write(' '); }, intervalMs);
      res.on('close', () => { clearInterval(t); rec.aborted = true; });
    };
  },

  /**
   * A transparent recording proxy to `base` (e.g. the Zoom simulator): same method, raw URL,
   * headers (Host rewritten) and body; the answer is relayed as is.
   */
  forwardTo(base: string): Behaviour {
    return ({ req, res, rec }) => new Promise<void>((resolve) => {
      const target = new URL(base);
      const headers = { ...req.headers, host: target.host };
      const out = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(counter(rec)).pipe(res);
        answer.on('end', () => resolve());
      });
      out.on('error', () => { if (!res.headersSent) res.writeHead(502); res.end(); resolve(); });
      out.end(rec.body);
    });
  },
};

/** Zoom-style token answer. */
export function tokenAnswer(accessToken: string, scope = 'user:read:list_users:admin meeting:read:meeting:admin'): Behaviour {
  return behaviours.json(200, { access_token: accessToken, token_type: 'bearer', expires_in: 3599, scope });
}

export class HostileUpstream {
  /** API requests (everything but POST /oauth/token), in arrival order. */
  readonly requests: RecordedRequest[] = [];
  readonly tokenRequests: RecordedRequest[] = [];
  readonly accessToken = 'hostile-access-' + randomBytes(12).toString('base64url');
  /** Responses held by `hang()`. */
  readonly hanging = new Set<ServerResponse>();
  /** The token endpoint's behaviour (a valid Zoom token by default). */
  tokenBehaviour: Behaviour;
  /** For API paths no route matches. */
  fallback: Behaviour = behaviours.json(200, {});
  private readonly routes: { match: (path: string) => boolean; behaviour: Behaviour }[] = [];
  private server: Server | null = null;
  private baseUrl = '';

  constructor() {
    this.tokenBehaviour = tokenAnswer(this.accessToken);
  }

  get url(): string {
    if (!this.server) throw new Error('hostile upstream is not running');
    return this.baseUrl;
  }

  /** 0 until started. */
  get port(): number {
    return this.server ? Number(new URL(this.baseUrl).port) : 0;
  }

  /** Sets the behaviour for every API path (clears routes). */
  behave(behaviour: Behaviour): this {
    this.routes.length = 0;
    this.fallback = behaviour;
    return this;
  }

  /** A behaviour for raw paths equal to `path` (string) or matching it (RegExp); the latest route wins. */
  on(path: string | RegExp, behaviour: Behaviour): this {
    this.routes.unshift({ match: typeof path === 'string' ? (p) => p === path : (p) => path.test(p), behaviour });
    return this;
  }

  /** Answers every hanging request (default: 200 `{}`). */
  release(behaviour: Behaviour = behaviours.json(200, {})): void {
    for (const res of [...this.hanging]) {
      this.hanging.delete(res);
      const rec = (res as ServerResponse & { rec?: RecordedRequest }).rec;
      if (rec && !res.destroyed) void behaviour({ req: res.req, res, rec, upstream: this });
    }
  }

  /** Cuts every open connection (a memory watchdog's emergency stop). */
  destroyConnections(): void {
    this.server?.closeAllConnections();
  }

  /** Waits until at least `n` API requests arrived (false after `timeoutMs`). */
  async waitForRequests(n: number, timeoutMs = 3000): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (this.requests.length < n) {
      if (Date.now() > until) return false;
      await new Promise((r) => setTimeout(r, 5));
    }
    return true;
  }

  async start(): Promise<string> {
    const server = createServer((req, res) => { void this.serve(req, res); });
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    this.hanging.clear();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const rec: RecordedRequest = {
      method: req.method ?? '', rawUrl, path: rawUrl.split('?')[0], headers: req.headers,
      bodyLength: 0, body: Buffer.alloc(0), bytesSent: 0, aborted: false,
    };
    (res as ServerResponse & { rec?: RecordedRequest }).rec = rec;
    const isToken = req.method === 'POST' && rec.path === '/oauth/token';
    (isToken ? this.tokenRequests : this.requests).push(rec);
    const kept: Buffer[] = [];
    let keptBytes = 0;
    try {
      for await (const c of req) {
        const chunk = c as Buffer;
        rec.bodyLength += chunk.length;
        if (keptBytes < KEEP_BODY) { kept.push(chunk.subarray(0, KEEP_BODY - keptBytes)); keptBytes += Math.min(chunk.length, KEEP_BODY - keptBytes); }
      }
    } catch {
      rec.aborted = true;
      return;
    }
    rec.body = Buffer.concat(kept);
    res.on('close', () => { if (!res.writableFinished) rec.aborted = true; });
    const behaviour = isToken ? this.tokenBehaviour : (this.routes.find((r) => r.match(rec.path))?.behaviour ?? this.fallback);
    try {
      await behaviour({ req, res, rec, upstream: this });
    } catch {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  }
}
