/**
 * The pairs and responses the rules differential runs on: for each catalogue connector (and Zoom)
 * with a psoxy conformance name, psoxy's rules file read in place from ../shared/conformance (never
 * copied) and our built-in rules; the simulator's answers to the connector's example calls and
 * psoxy's own example responses.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONNECTORS } from '../../src/sources/catalogue/registry.ts';
import type { ExampleCall } from '../../src/sources/catalogue/connector.ts';
import { generateFakeOrg } from '../../src/sources/catalogue/fake-org.ts';
import { loadApiRules } from '../../src/rules/load.ts';
import { Sanitizer } from '../../src/sanitizer/sanitizer.ts';
import { Pseudonymizer } from '../../src/pseudonym/pseudonymizer.ts';
import { builtInRulesYaml } from '../../src/sources/index.ts';
import { differences, type Difference, type Outcome } from './rules-differential.ts';
import { generateOrg } from '../../src/sources/zoom/simulator/org.ts';
import {
  meetingDetails, meetingSummary, paginate, participantsPage, pastMeetingDetails, pastMeetingInstances, recordingsPage, reportUserMeetingsPage, userMeetingsPage, usersPage,
} from '../../src/sources/zoom/simulator/responses.ts';

export const conformanceRoot = fileURLToPath(new URL('../../../shared/conformance/', import.meta.url));
export const conformancePresent = existsSync(conformanceRoot + 'manifest.json');

export interface Call { method: string; url: string; body: string; from: string }
export interface ManifestCase {
  kind: string; connector: string; rulesFile: string; method?: string; requestUrl?: string; original?: string; sanitized?: string;
  originalModified?: boolean; config?: { salt?: string; encryptionKey?: string };
}
export interface Pair { id: string; name: string; yaml: string; examples: readonly ExampleCall[] }

export const readManifest = (file: string): ManifestCase[] => JSON.parse(readFileSync(file, 'utf8')) as ManifestCase[];
const manifest: ManifestCase[] = conformancePresent ? readManifest(conformanceRoot + 'manifest.json') : [];

/** Every (our id + variant, psoxy conformance name) pair, Zoom's built-in rules included. */
export const PAIRS: readonly Pair[] = [
  ...CONNECTORS.flatMap((c) => Object.entries(c.conformance).map(([variant, name]) => ({ id: c.id + variant, name, yaml: c.rules[variant], examples: c.examples }))),
  { id: 'zoom', name: 'zoom/zoom', yaml: builtInRulesYaml('zoom')!, examples: zoomExamples() },
];

/** Zoom's calls, answered by the Zoom simulator's response builders (its own organisation per fake org's seed). */
function zoomExamples(): ExampleCall[] {
  const org = (fake: { random(): number }) => generateOrg({ seed: Math.floor(fake.random() * 1e9), users: 4, meetingsPerUser: 2, participantsPerMeeting: 4 });
  const all = <T>(xs: T[]) => paginate(xs, 30, null)!;
  const call = (name: string, path: string, body: (o: ReturnType<typeof generateOrg>) => unknown): ExampleCall => ({ name, path, response: (fake) => body(org(fake)) });
  const host = (o: ReturnType<typeof generateOrg>) => o.users.find((u) => o.meetings.some((m) => m.host_id === u.id))!;
  const hosted = (o: ReturnType<typeof generateOrg>) => o.meetings.filter((m) => m.host_id === host(o).id);
  return [
    call('users', '/v2/users?status=active&page_size=30', (o) => usersPage(all(o.users))),
    call('user meetings', '/v2/users/abc/meetings?page_size=30', (o) => userMeetingsPage(all(hosted(o)))),
    call('user recordings', '/v2/users/abc/recordings?from=2026-09-01', (o) => recordingsPage(all(hosted(o)), o)),
    call('meeting summary', '/v2/meetings/abc%3D%3D/meeting_summary', (o) => meetingSummary(o.meetings.find((m) => m.summary) ?? o.meetings[0])),
    call('meeting', '/v2/meetings/123', (o) => meetingDetails(o.meetings[0])),
    call('past meeting instances', '/v2/past_meetings/123/instances', (o) => pastMeetingInstances(o.meetings.slice(0, 2))),
    call('past meeting participants', '/v2/past_meetings/123/participants?page_size=30', (o) => participantsPage(all(o.meetings[0].participants), false)),
    call('past meeting', '/v2/past_meetings/123', (o) => pastMeetingDetails(o.meetings[0], o.users.find((u) => u.id === o.meetings[0].host_id))),
    call('report user meetings', '/v2/report/users/abc/meetings?from=2026-09-01&to=2026-10-01', (o) => reportUserMeetingsPage(all(hosted(o)), o)),
    call('report meeting participants', '/v2/report/meetings/123/participants?page_size=30', (o) => participantsPage(all(o.meetings[0].participants), true)),
  ];
}

export const testPseudonymizer = () => new Pseudonymizer({ salt: 'salt', encryptionKey: 'secret' });

/** psoxy's rules for the pair (its file under ../shared) and ours, on the same engine and settings. */
export function sanitizers(pair: Pair): { psoxy: Sanitizer; ours: Sanitizer } {
  const file = manifest.find((k) => k.connector === pair.name)!.rulesFile;
  return {
    psoxy: new Sanitizer(loadApiRules(readFileSync(conformanceRoot + 'psoxy/' + file, 'utf8'), file), testPseudonymizer()),
    ours: new Sanitizer(loadApiRules(pair.yaml, pair.id), testPseudonymizer()),
  };
}

/**
 * A call as the rules variant expects it: under `_no-app-ids` / `_no-userIds` Microsoft Graph user
 * ids in paths are reversible tokens (Worklytics sends back the `p~` ids it was given), so the
 * example's plain GUID becomes one (the rules only match its shape; nothing is decrypted here).
 */
function asVariantCalls(pair: Pair, path: string): string {
  if (!/_no-(app-ids|userIds)/.test(pair.id)) return path;
  return path.replace(/\/users\/[0-9a-f]{8}-[0-9a-f-]{27}(?=[/?]|$)/, '/users/p~Qf4dLJ4jfqZLn9ef4VirvYjvOnRaVI5tf5oLnM65YOAabc');
}

/** The simulator's answers to each example call (organisations of 1, 4 and 12 people) and psoxy's example responses for the connector. */
export function corpus(pair: Pair): Call[] {
  const calls: Call[] = [];
  for (const [seed, people] of [[1, 1], [2, 4], [3, 12]]) {
    const org = generateFakeOrg({ seed, people });
    for (const e of pair.examples) calls.push({ method: e.method ?? 'GET', url: asVariantCalls(pair, e.path), body: JSON.stringify(e.response(org)), from: `simulator ${e.name}` });
  }
  const seen = new Set<string>();
  for (const k of manifest) {
    if (k.connector !== pair.name || (k.kind !== 'example' && k.kind !== 'sanitize-call') || k.originalModified) continue;
    const key = `${k.method ?? 'GET'} ${k.requestUrl} ${k.original}`;
    if (seen.has(key)) continue;
    seen.add(key);
    calls.push({ method: k.method ?? 'GET', url: k.requestUrl!, body: readFileSync(conformanceRoot + 'psoxy/' + k.original!, 'utf8'), from: `psoxy ${k.original!.split('/').at(-1)}` });
  }
  return calls;
}

const kindOf = (o: Outcome) => ('out' in o ? 'output' : 'blocked' in o ? 'blocked' : `error ${o.error}`);

/** The differences between two outcomes (`(outcome)` when one sanitized and the other did not). */
export function compare(psoxy: Outcome, ours: Outcome): Difference[] {
  if ('out' in psoxy && 'out' in ours) {
    if (psoxy.out.length !== ours.out.length) return [{ at: '(values)', psoxy: psoxy.out.length, ours: ours.out.length }];
    return psoxy.out.flatMap((v, i) => differences(v, ours.out[i]));
  }
  return kindOf(psoxy) === kindOf(ours) ? [] : [{ at: '(outcome)', psoxy: kindOf(psoxy), ours: kindOf(ours) }];
}
