/**
 * Miro's audit log CSV, filtered to Miro AI events (`miro-ai-bulk`): psoxy's columnar rules, with
 * its default `JSON` pseudonym format. `Actor` (the member's email) and `Team Name` are
 * pseudonymized; the actor's name, IP address and affected object (a board or item name) redacted.
 * Ours also redact `Details` when the export has it: it is free text naming boards and people,
 * which psoxy's rules pass through.
 */
import type { BulkConnector } from '../catalogue/connector.ts';
import { personalText, type FakeOrg } from '../catalogue/fake-org.ts';
import { csvText } from './example-files.ts';

const EVENTS = ['AI_GENERATE_STICKIES', 'AI_SUMMARIZE_BOARD', 'AI_CREATE_DIAGRAM'];

function auditLogFile(org: FakeOrg) {
  const team = personalText(org, `${org.people[0].lastName} Product Team`);
  const rows = org.people.map((p) => [
    org.isoTime(7), org.pick(EVENTS), p.email, p.displayName, personalText(org, `10.${org.int(0, 255)}.${org.int(0, 255)}.${org.int(1, 254)}`), team,
    personalText(org, `Board "${p.lastName} Q3 roadmap"`), personalText(org, `${p.firstName} used Miro AI on ${p.lastName}'s board`),
  ]);
  return {
    text: csvText(['Date', 'Event', 'Actor', 'Actor Name', 'IP Address', 'Team Name', 'Affected Object', 'Details'], rows),
    kept: [...new Set(rows.flatMap((r) => r.slice(0, 2)))],
  };
}

export const MIRO_BULK_CONNECTORS: readonly BulkConnector[] = [{
  id: 'miro-ai-bulk', name: 'Miro AI audit log export', family: 'miro',
  input: "Miro's audit log CSV (Admin → Security → Audit logs, exported), Miro AI events: `Date`, `Event`, `Actor` (email), `Actor Name`, `IP Address`, `Team Name`, `Affected Object`, optionally `Details`. Drop it in the input bucket as `<anything>.csv`.",
  sanitizes: '`Actor` and `Team Name` pseudonymized; `Actor Name`, `IP Address`, `Affected Object` and `Details` redacted (psoxy keeps `Details`, free text that names boards and people); dates, events and any other column pass through.',
  rules: `
columnsToPseudonymize: [Actor, Team Name]
# Details is ours: psoxy's rules pass it through.
columnsToRedact: [IP Address, Actor Name, Affected Object, Details]
`,
  examples: [{ objectPath: 'miro-audit-log-2026-01-05.csv', generate: auditLogFile }],
  conformance: [],
}];
