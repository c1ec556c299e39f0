/**
 * psoxy's custom bulk connectors for per-event AI-assistant usage exports: `claude-code-bulk`
 * (Anthropic Claude Code), `sales-for-copilot` (Salesforce) and `copilot-for-sales` (Microsoft
 * Copilot for Sales). The files share one layout
 * (`userEmail`, epoch-ms `timestamp`, tool, model, token counts, event type) and psoxy's record rules:
 * `format: AUTO` (CSV by the key or content type, NDJSON or JSON too) and `userEmail` pseudonymized
 * to a `t~` token. Nothing else in the layout names a person, so the rules add nothing.
 */
import type { BulkConnector } from '../catalogue/connector.ts';
import type { FakeOrg } from '../catalogue/fake-org.ts';
import { csvText } from './example-files.ts';

const RULES = `
format: AUTO
transforms:
  - pseudonymize: [$.userEmail]
`;
const HEADER = ['userEmail', 'timestamp', 'ai_tool', 'model', 'input_tokens', 'output_tokens', 'event_type'];

/** Two events per person: `tool` with one of `models`, and an event type (blank for a plain prompt). */
function usageFile(tool: string, models: readonly string[], eventTypes: readonly string[]) {
  return (org: FakeOrg) => {
    const rows = org.people.flatMap((p) => [0, 1].map(() => [
      p.email, String(Date.parse(org.isoTime(14))), tool, org.pick(models), String(org.int(100, 5000)), String(org.int(50, 1000)), org.pick(eventTypes),
    ]));
    return { text: csvText(HEADER, rows), kept: [tool, ...rows.map((r) => r[1])] };
  };
}

const input = (what: string) => `A CSV (or NDJSON) of ${what}, one row per event: \`userEmail\`, \`timestamp\` (epoch milliseconds), \`ai_tool\`, \`model\`, \`input_tokens\`, \`output_tokens\`, \`event_type\`. Drop it in the input bucket as \`<anything>.csv\` (\`.ndjson\` for NDJSON).`;
const SANITIZES = '`userEmail` pseudonymized (a `t~` token); times, tool, model, token counts and event types pass through, so add no free-text columns (prompts, file names) to the export.';

export const AI_USAGE_BULK_CONNECTORS: readonly BulkConnector[] = [
  {
    id: 'claude-code-bulk', name: 'Claude Code usage export', family: 'anthropic',
    input: input('Claude Code usage'), sanitizes: SANITIZES, rules: RULES,
    examples: [{ objectPath: 'claude-code-2026-01-05.csv', generate: usageFile('claude-code', ['claude-sonnet-4-5', 'claude-opus-4-1'], ['', 'autocomplete']) }],
    conformance: [],
  },
  {
    id: 'sales-for-copilot', name: 'Salesforce Sales for Copilot usage export', family: 'salesforce',
    input: input('Sales for Copilot usage'), sanitizes: SANITIZES, rules: RULES,
    examples: [{ objectPath: 'sales-for-copilot-2026-01-05.csv', generate: usageFile('copilot', ['gpt-4o', 'gpt-4o-mini'], ['', 'email_draft', 'meeting_summary']) }],
    conformance: [],
  },
  {
    id: 'copilot-for-sales', name: 'Microsoft Copilot for Sales usage export', family: 'microsoft-365',
    input: input('Microsoft Copilot for Sales usage'), sanitizes: SANITIZES, rules: RULES,
    examples: [{ objectPath: 'copilot-for-sales-20260105T000000Z.csv', generate: usageFile('copilot', ['gpt-4o', 'gpt-4.1'], ['', 'email_draft', 'crm_update']) }],
    conformance: [],
  },
];
