/**
 * Zoom AI Metrics (`zoom-ai-metrics`) as a catalogue bulk connector: the AI Metrics Snapshot CSV
 * Zoom's admin console exports, sanitized by the rules in `ai-metrics-rules.ts` (kept there: the
 * build embeds that module's rules as JSON). psoxy's data-sources table lists the export as
 * `zoom-ai-snapshot-bulk` ("Zoom AI Snapshot Bulk", bulk, alpha), and its Zoom docs describe it as
 * the custom bulk connector `zoom-ai-metrics` with these rules: the alias and the id select it
 * alike, in bulk mode, `--rules` and the Terraform modules.
 */
import type { BulkConnector } from '../catalogue/connector.ts';
import type { FakeOrg } from '../catalogue/fake-org.ts';
import { csvText } from '../bulk/example-files.ts';
import { ZOOM_AI_METRICS_RULES_YAML } from './ai-metrics-rules.ts';

const DEPARTMENTS = ['Research', 'Sales', 'Platform', 'Customer Care'];

/** The snapshot: one row per user, their AI Companion feature counts. */
function snapshotFile(org: FakeOrg) {
  const rows = org.people.map((p) => [p.displayName, p.email, org.pick(DEPARTMENTS), String(org.int(100, 199)), String(org.int(200, 299)), String(org.int(300, 399))]);
  return { text: csvText(['User Name', 'Email', 'Department', 'Meeting Summaries', 'Smart Recordings', 'Questions Asked'], rows), kept: [...new Set(rows.flatMap((r) => r.slice(3)))] };
}

export const ZOOM_AI_METRICS: BulkConnector = {
  id: 'zoom-ai-metrics',
  aliases: ['zoom-ai-snapshot-bulk'],
  name: 'Zoom AI Metrics',
  family: 'zoom',
  input: 'Zoom\'s AI Metrics Snapshot CSV, one row per user: User Name, Email, Department, then the per-feature counts (e.g. Meeting Summaries, Smart Recordings, Questions Asked). Drop it in the input bucket as `<anything>.csv`, e.g. `ai-metrics.csv`.',
  sanitizes: 'User Name and Email pseudonymized as `t~` tokens (an email gets the same token as in the Zoom API connector\'s responses), Department removed; the counts pass through.',
  rules: ZOOM_AI_METRICS_RULES_YAML,
  examples: [{ objectPath: 'ai-metrics.csv', generate: snapshotFile }],
  conformance: [],
};
