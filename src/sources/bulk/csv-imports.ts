/**
 * psoxy's CSV import connectors (its Terraform `bulk_connectors`): HRIS snapshots, badge swipes,
 * survey responses (generic and Qualtrics) and per-employee metrics. Columnar rules with psoxy's
 * columns and its default `JSON` pseudonym format (the Terraform specs leave `pseudonymFormat` out).
 * Every other column passes through as is, so the docs say which columns the file should hold.
 */
import type { BulkConnector } from '../catalogue/connector.ts';
import { person, type FakeOrg } from '../catalogue/fake-org.ts';
import { csvText, employeeId, isoDay } from './example-files.ts';

const ROLES = ['Software Engineer', 'Account Executive', 'Product Designer', 'Support Specialist'];
const TEAMS = ['Platform', 'Sales EMEA', 'Design Systems', 'Customer Care'];

function hrisFile(org: FakeOrg) {
  const manager = person(org, 0);
  const rows = org.people.map((p, i) => {
    const [role, team] = [org.pick(ROLES), org.pick(TEAMS)];
    // The first person heads the org: no manager, blank cells (psoxy leaves blanks blank).
    return [employeeId(org, p), p.email, i === 0 ? '' : employeeId(org, manager), i === 0 ? '' : manager.email, isoDay(org, 3000), role, team];
  });
  return {
    text: csvText(['EMPLOYEE_ID', 'EMPLOYEE_EMAIL', 'MANAGER_ID', 'MANAGER_EMAIL', 'JOIN_DATE', 'ROLE', 'TEAM'], rows),
    kept: [...new Set(rows.flatMap((r) => r.slice(4)))],
  };
}

function badgeFile(org: FakeOrg) {
  const rows = org.people.flatMap((p) => ['IN', 'OUT'].map((direction) => [employeeId(org, p), org.isoTime(7), `BLDG-${org.chars(4, '0123456789')}`, direction]));
  return { text: csvText(['EMPLOYEE_ID', 'SWIPE_TIME', 'BUILDING_ID', 'DIRECTION'], rows), kept: [...new Set(rows.flatMap((r) => r.slice(1, 3)))] };
}

function surveyFile(org: FakeOrg) {
  const survey = `SV_${org.chars(12)}`;
  const rows = org.people.flatMap((p) => ['QID1', 'QID2'].map((q) => [employeeId(org, p), p.email, survey, q, String(org.int(1, 5)), org.isoTime(14)]));
  return { text: csvText(['EMPLOYEE_ID', 'EMPLOYEE_EMAIL', 'SURVEY_ID', 'QUESTION_ID', 'RESPONSE', 'SUBMITTED_AT'], rows), kept: [survey, ...rows.map((r) => r[5])] };
}

function metricsFile(org: FakeOrg) {
  const rows = org.people.map((p) => [employeeId(org, p), p.email, isoDay(org), 'focus_time_minutes', String(org.int(100, 400))]);
  return { text: csvText(['EMPLOYEE_ID', 'EMPLOYEE_EMAIL', 'DATE', 'METRIC', 'VALUE'], rows), kept: ['focus_time_minutes', ...rows.map((r) => r[2])] };
}

const SURVEY_RULES = `
columnsToPseudonymize: [EMPLOYEE_ID]
columnsToPseudonymizeIfPresent: [EMPLOYEE_EMAIL]
`;
const SURVEY_SANITIZES = 'EMPLOYEE_ID pseudonymized, and EMPLOYEE_EMAIL when the file has it; answers and every other column pass through, so export numeric or coded answers, not free text.';
const surveyInput = (tool: string) => `A CSV of ${tool} responses, one row per answer: EMPLOYEE_ID (required), EMPLOYEE_EMAIL (optional), then survey, question, answer and time columns (e.g. SURVEY_ID, QUESTION_ID, RESPONSE, SUBMITTED_AT). Drop it in the input bucket as \`<anything>.csv\`.`;

export const CSV_IMPORT_CONNECTORS: readonly BulkConnector[] = [
  {
    id: 'hris', name: 'HRIS snapshot', family: 'hris',
    input: 'A CSV snapshot of the HRIS, one row per employee: EMPLOYEE_ID, EMPLOYEE_EMAIL and MANAGER_ID (required), MANAGER_EMAIL (optional), then attributes such as JOIN_DATE, ROLE, TEAM. Drop it in the input bucket as `<anything>.csv`, e.g. `hris-2026-01-01.csv`.',
    sanitizes: 'EMPLOYEE_ID, EMPLOYEE_EMAIL and MANAGER_ID pseudonymized, and MANAGER_EMAIL when the file has it; the other columns pass through, so leave names, addresses and salaries out of the export.',
    rules: `
columnsToPseudonymize: [EMPLOYEE_ID, EMPLOYEE_EMAIL, MANAGER_ID]
columnsToPseudonymizeIfPresent: [MANAGER_EMAIL]
`,
    examples: [{ objectPath: 'hris-2026-01-01.csv', generate: hrisFile }],
    conformance: [],
  },
  {
    id: 'badge', name: 'Badge swipes', family: 'badge',
    input: 'A CSV of badge swipes, one row per swipe: EMPLOYEE_ID (required), then time, building and direction columns (e.g. SWIPE_TIME, BUILDING_ID, DIRECTION). Drop it in the input bucket as `<anything>.csv`.',
    sanitizes: 'EMPLOYEE_ID pseudonymized; times, buildings and every other column pass through, so export no names or badge numbers.',
    rules: `
columnsToPseudonymize: [EMPLOYEE_ID]
`,
    examples: [{ objectPath: 'badge-2026-01-01.csv', generate: badgeFile }],
    conformance: [],
  },
  {
    id: 'survey', name: 'Survey responses', family: 'survey',
    input: surveyInput('survey'), sanitizes: SURVEY_SANITIZES, rules: SURVEY_RULES,
    examples: [{ objectPath: 'survey-2026-01.csv', generate: surveyFile }],
    conformance: [],
  },
  {
    id: 'qualtrics', name: 'Qualtrics survey responses', family: 'survey',
    // psoxy's `qualtrics` is this bulk connector; the Qualtrics API connector is ours, `qualtrics-api`.
    input: `${surveyInput('Qualtrics')} To read Qualtrics' API instead, see [qualtrics-api](qualtrics-api.md).`,
    sanitizes: SURVEY_SANITIZES, rules: SURVEY_RULES,
    examples: [{ objectPath: 'qualtrics-2026-01.csv', generate: surveyFile }],
    conformance: [],
  },
  {
    id: 'metrics', name: 'Per-employee metrics', family: 'metrics',
    input: 'A CSV of metrics, one row per employee, date and metric: EMPLOYEE_ID and/or EMPLOYEE_EMAIL, then columns such as DATE, METRIC, VALUE. Drop it in the input bucket as `<anything>.csv`.',
    sanitizes: 'EMPLOYEE_ID and EMPLOYEE_EMAIL pseudonymized when the file has them; dates, metric names and values pass through.',
    rules: `
columnsToPseudonymizeIfPresent: [EMPLOYEE_ID, EMPLOYEE_EMAIL]
`,
    examples: [{ objectPath: 'metrics-2026-01-01.csv', generate: metricsFile }],
    conformance: [],
  },
];
