/**
 * What a caller gets of a source's non-2xx body. Sources echo what they were asked about (Zoom:
 * `{"code":1001,"message":"User does not exist: <id>."}`), so by default only code-like fields are
 * kept: the status, the source's error codes and reasons, retry hints (headers pass separately).
 * `SOURCE_ERROR_BODY=pass-through` restores psoxy's verbatim body.
 */

export type SourceErrorBodyMode = 'summary' | 'pass-through';

export function parseSourceErrorBodyMode(value: string | undefined): SourceErrorBodyMode {
  const v = (value ?? 'summary').trim().toLowerCase();
  if (v === 'summary' || v === 'pass-through') return v;
  throw new Error(`SOURCE_ERROR_BODY must be summary or pass-through (was ${JSON.stringify(value)})`);
}

/** Keys whose values are codes, never prose (compared lower-case, `-`/`_` ignored). */
const CODE_KEYS = new Set(['code', 'error', 'errors', 'errorcode', 'status', 'reason', 'type', 'domain', 'subcode', 'errorsubcode', 'ok', 'retryafter']);
/** A code: letters, digits and `_` only (no `.`, `:`, `-`, `@`: no domains, names, phone numbers), short. */
const CODE_TEXT = /^[A-Za-z0-9_]{1,48}$/;
const MAX_DEPTH = 4;
const MAX_ITEMS = 5;
/** Error bodies are small; a larger one is not parsed at all (nothing of it is kept). */
const MAX_PARSED_BYTES = 64 * 1024;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** The summary body: `{"error":"API_ERROR","status":…,"sourceError":{…codes…},"detail":…}`. */
export function summarizeSourceError(status: number, body: Buffer): string {
  let parsed: Json | undefined;
  try {
    if (body.length <= MAX_PARSED_BYTES) parsed = JSON.parse(body.toString('utf8')) as Json;
  } catch {
    parsed = undefined; // not JSON: nothing code-like to keep
  }
  const codes = parsed === undefined ? undefined : keepCodes(parsed, 0);
  return JSON.stringify({
    error: 'API_ERROR',
    status,
    ...(codes !== undefined && typeof codes === 'object' ? { sourceError: codes } : {}),
    detail: "The source's error text is withheld because it can name people; its error codes are kept. SOURCE_ERROR_BODY=pass-through returns it unchanged.",
  });
}

/** Ids mix letters and digits at random (`KDcuGIm1QgePTO8WbOqwIQ`); codes do not (`E1001`, `invalid_auth`). */
function looksGenerated(value: string): boolean {
  let switches = 0;
  for (let i = 1; i < value.length; i++) if (/\d/.test(value[i]) !== /\d/.test(value[i - 1])) switches++;
  return switches >= 3;
}

function keepCodes(value: Json, depth: number): Json | undefined {
  if (depth > MAX_DEPTH) return undefined;
  // Long digit runs are ids (a user, a meeting, a phone number), not codes.
  if (typeof value === 'number') return Math.abs(value) < 1e6 ? value : undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return CODE_TEXT.test(value) && !/\d{6,}/.test(value) && !looksGenerated(value) ? value : undefined;
  if (value === null) return undefined;
  if (Array.isArray(value)) {
    const kept = value.slice(0, MAX_ITEMS).map((v) => keepCodes(v, depth + 1)).filter((v) => v !== undefined);
    return kept.length ? kept : undefined;
  }
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value)) {
    if (!CODE_KEYS.has(k.toLowerCase().replace(/[-_]/g, ''))) continue;
    const kept = keepCodes(v, depth + 1);
    if (kept !== undefined) out[k] = kept;
  }
  return Object.keys(out).length ? out : undefined;
}
