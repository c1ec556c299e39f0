/**
 * Bounds on everything a caller or a source can make the proxy hold: request body and headers,
 * the source's response (as received and decompressed), and concurrent source calls. Each refusal
 * has its own status and `X-Psoxy-Error` code, and nothing is buffered past its limit.
 */
import type { ConfigService } from '../config/config-service.ts';
import { ProxyError } from './errors.ts';
import { readAtMost } from '../http/read-bounded.ts';
import type { IncomingAnswer } from '../http/client.ts';
import { jsonBudgetProblem, MAX_JSON_DEPTH } from '../json/budget.ts';

export interface ProxyLimits {
  maxRequestBodyBytes: number;
  maxRequestHeaderBytes: number;
  /** Bounds the source's body as received and after decompression. */
  maxSourceResponseBytes: number;
  /** Bounds what a JSON body parses into: values (keys included) and nesting. */
  maxSourceJsonValues: number;
  maxConcurrentSourceRequests: number;
}

export const DEFAULT_LIMITS: ProxyLimits = {
  maxRequestBodyBytes: 1024 * 1024,
  maxRequestHeaderBytes: 16 * 1024,
  maxSourceResponseBytes: 16 * 1024 * 1024,
  maxSourceJsonValues: 1_000_000,
  maxConcurrentSourceRequests: 16,
};

/** A request body parses into at most this many values (bodies are queries, not data). */
const MAX_REQUEST_JSON_VALUES = 100_000;

const SETTINGS: Record<keyof ProxyLimits, string> = {
  maxRequestBodyBytes: 'MAX_REQUEST_BODY_BYTES',
  maxRequestHeaderBytes: 'MAX_REQUEST_HEADER_BYTES',
  maxSourceResponseBytes: 'MAX_SOURCE_RESPONSE_BYTES',
  maxSourceJsonValues: 'MAX_SOURCE_JSON_VALUES',
  maxConcurrentSourceRequests: 'MAX_CONCURRENT_SOURCE_REQUESTS',
};

export const LIMIT_SETTINGS = Object.values(SETTINGS);

export async function limitsFromConfig(config: ConfigService): Promise<ProxyLimits> {
  const limits = { ...DEFAULT_LIMITS };
  for (const [key, name] of Object.entries(SETTINGS) as [keyof ProxyLimits, string][]) {
    limits[key] = await config.parsed(name, (raw) => {
      if (raw === undefined) return DEFAULT_LIMITS[key];
      const n = Number(raw.trim());
      if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number (was ${JSON.stringify(raw.slice(0, 40))})`);
      return n;
    });
  }
  return limits;
}

/** Sum of header name and value lengths, as a server would count them. */
export function checkRequestHeaders(headers: Headers, limits: ProxyLimits): void {
  let total = 0;
  headers.forEach((value, name) => { total += name.length + value.length + 4; });
  if (total > limits.maxRequestHeaderBytes) {
    throw new ProxyError(431, 'REQUEST_HEADERS_TOO_LARGE', `Request headers exceed ${limits.maxRequestHeaderBytes} bytes (MAX_REQUEST_HEADER_BYTES)`);
  }
}

const requestTooLarge = (limit: number) => new ProxyError(413, 'REQUEST_TOO_LARGE', `Request body exceeds ${limit} bytes (MAX_REQUEST_BODY_BYTES)`);
export const sourceTooLarge = (limit: number) =>
  new ProxyError(502, 'SOURCE_RESPONSE_TOO_LARGE', `Source response exceeds ${limit} bytes (MAX_SOURCE_RESPONSE_BYTES): request a smaller page (e.g. page_size) or raise the limit`);

/** The request body, read no further than the limit (a declared Content-Length over it is refused unread). */
export function readRequestBody(request: Request, limit: number): Promise<Buffer> {
  return readAtMost(request.body, request.headers, limit, () => requestTooLarge(limit));
}

/** A JSON request body the proxy may parse (to check its schema or reverse tokens) stays small once parsed. */
export function checkRequestJson(body: string): void {
  const problem = jsonBudgetProblem(body, { maxValues: MAX_REQUEST_JSON_VALUES, maxDepth: MAX_JSON_DEPTH });
  if (problem !== null) throw new ProxyError(413, 'REQUEST_TOO_LARGE', `Request body has ${problem}`);
}

/**
 * Bodies under this parse into at most a few tens of MB whatever their shape, so the count (about
 * a tenth of the sanitize time) is skipped for them.
 */
const COUNT_SOURCE_JSON_FROM = 1024 * 1024;

/** A source's JSON body parses into a bounded number of values (bytes alone bound memory poorly). */
export function checkSourceJson(text: string, limits: ProxyLimits): void {
  if (text.length < COUNT_SOURCE_JSON_FROM) return;
  const problem = jsonBudgetProblem(text, { maxValues: limits.maxSourceJsonValues, maxDepth: MAX_JSON_DEPTH });
  if (problem !== null) throw new ProxyError(502, 'SOURCE_RESPONSE_TOO_LARGE', `Source response has ${problem} (MAX_SOURCE_JSON_VALUES ${limits.maxSourceJsonValues}): request a smaller page`);
}

/** The source's body, Content-Encoding undone, read and decoded no further than the limit. */
export function readSourceBody(response: IncomingAnswer, limit: number): Promise<Buffer> {
  return response.read(limit, () => sourceTooLarge(limit));
}

/**
 * Bounds concurrent source calls (each may hold a response up to MAX_SOURCE_RESPONSE_BYTES).
 * Calls over the limit wait their turn until their deadline; with `QUEUE_FACTOR` times the limit
 * already waiting, a call is refused at once. Memory stays bounded and ordinary bursts are served.
 */
export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  async run<T>(max: number, deadline: AbortSignal, fn: () => Promise<T>): Promise<T> {
    if (this.active >= max) await this.waitTurn(max, deadline);
    else this.active++;
    try {
      return await fn();
    } finally {
      // The slot passes straight to the next waiter, or is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }

  private waitTurn(max: number, deadline: AbortSignal): Promise<void> {
    const refused = (why: string) => new ProxyError(503, 'TOO_MANY_CONCURRENT_REQUESTS', `${why} (MAX_CONCURRENT_SOURCE_REQUESTS ${max}); retry shortly`, undefined, { 'Retry-After': '1' });
    if (this.waiting.length >= max * QUEUE_FACTOR) return Promise.reject(refused(`${max} requests to the source running and ${max * QUEUE_FACTOR} waiting`));
    return new Promise<void>((resolve, reject) => {
      const turn = () => {
        deadline.removeEventListener('abort', giveUp);
        resolve();
      };
      const giveUp = () => {
        const i = this.waiting.indexOf(turn);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(refused('No slot for a request to the source within REQUEST_TIMEOUT_SECONDS'));
      };
      if (deadline.aborted) return giveUp();
      deadline.addEventListener('abort', giveUp, { once: true });
      this.waiting.push(turn);
    });
  }
}

/** Waiting calls allowed per running one. */
const QUEUE_FACTOR = 4;
