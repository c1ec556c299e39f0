/**
 * Gemini usage report (`gemini-usage`, psoxy's custom bulk connector, deprecated there in favour
 * of `gemini-in-workspace-apps`): the per-user CSV a Google Workspace administrator downloads from
 * the Admin console (Generative AI → Gemini usage), 28 days of counts per user. Only `Email` names
 * a person; it becomes a `t~` token, as psoxy's custom bulk connectors write.
 */
import type { BulkConnector } from '../catalogue/connector.ts';
import type { FakeOrg } from '../catalogue/fake-org.ts';
import { csvText } from './example-files.ts';

const HEADER = ['Email', 'Overall usage', 'Active days', 'Gmail', 'Docs', 'Sheets', 'Slides', 'Drive', 'Meet', 'Gemini app'];

function usageReport(org: FakeOrg) {
  const rows = org.people.map((p) => {
    const apps = HEADER.slice(3).map(() => org.int(0, 40));
    return [p.email, String(apps.reduce((a, n) => a + n, 0)), String(org.int(0, 28)), ...apps.map(String)];
  });
  return { text: csvText(HEADER, rows), kept: ['Overall usage', 'Gemini app', ...rows.map((r) => r[1])] };
}

export const GEMINI_USAGE_BULK_CONNECTORS: readonly BulkConnector[] = [{
  id: 'gemini-usage', name: 'Gemini usage report (Google Workspace)', family: 'google-workspace',
  input: 'The Gemini usage report CSV downloaded from the Google Workspace Admin console, one row per user: `Email`, `Overall usage`, `Active days` and a count per app (`Gmail`, `Docs`, `Sheets`, `Slides`, `Drive`, `Meet`, `Gemini app`). Drop it in the input bucket as `<anything>.csv`; download weekly (each report covers about 4 weeks).',
  sanitizes: '`Email` pseudonymized (a `t~` token); the usage counts pass through.',
  rules: `
pseudonymFormat: URL_SAFE_TOKEN
columnsToPseudonymize: [Email]
`,
  examples: [{ objectPath: 'gemini-usage-2026-10-05.csv', generate: usageReport }],
  conformance: [],
  // The key psoxy's docs give its custom bulk connector.
  aliases: ['gemini-usage-bulk'],
}];
