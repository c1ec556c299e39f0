/** Shared pieces of the bulk connectors' example files: CSV text and identifiers recorded as personal. */
import { formatCsvRecord } from '../../bulk/csv.ts';
import { personalText, type FakeOrg, type FakePerson } from '../catalogue/fake-org.ts';

/** A CSV file (header, then rows) as an HR or survey tool exports it: comma-separated, LF. */
export function csvText(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, ...rows].map((r) => formatCsvRecord([...r], ',')).join('\n') + '\n';
}

/** A person's HRIS employee id, recorded as personal: bulk rules must pseudonymize it wherever it goes. */
export const employeeId = (org: FakeOrg, p: FakePerson): string => personalText(org, `EMP-${p.id.slice(0, 8)}`);

/** A day within the fake org's last `days` days, `YYYY-MM-DD`. */
export const isoDay = (org: FakeOrg, days = 30): string => org.isoTime(days).slice(0, 10);
