/**
 * Gong's data-cloud export (`gong-bulk`): one CSV per table per day, `<date>/<table>/<file>.csv`
 * (gzipped or not), all tables under one columnar rule with psoxy's columns and its default `JSON`
 * pseudonym format. psoxy lists its id columns as required; a required column missing from a table
 * is added empty, so each table would grow every other table's id columns. Ours pseudonymize them
 * where present instead. Files at the bucket root match no rule and are refused, as in psoxy.
 */
import type { BulkConnector } from '../catalogue/connector.ts';
import { personalText, type FakeOrg, type FakePerson } from '../catalogue/fake-org.ts';
import { csvText } from './example-files.ts';

const RULES = `
fileRules:
  /{date}/{table}/{file}.csv{compression?}:
    columnsToPseudonymizeIfPresent: [EMAIL_ADDRESS, USER_ID, MANAGER_ID, CRM_USER_ID, CALL_OWNER, SUBMIT_BY_USER_ID,
      GAVE_SCORECARD_USER_ID, RECEIVED_SCORECARD_USER_ID, QUESTION_MODIFIED_BY_USER_ID, SCORECARD_MODIFIED_BY_USER_ID]
    columnsToRedact: [FIRST_NAME, LAST_NAME, TITLE, USER_NAME, NOTES, COMMENT, MENTIONS, TAGS, ANSWER_TEXT, ANSWER_SELECTED_OPTIONS,
      QUESTION_TEXT, QUESTION_RESPONSE_OPTIONS, SCORECARD_NAME, FORECAST_CATEGORY_NAME, LINE_OF_BUSINESS]
`;

/** Gong's user ids are 19-digit numbers, recorded as personal: the rules must pseudonymize them. */
const gongId = (org: FakeOrg, p: FakePerson) => personalText(org, `70${[...p.id].map((c) => c.charCodeAt(0) % 10).join('')}1`);

function usersFile(org: FakeOrg) {
  const head = org.people[0];
  const rows = org.people.map((p, i) => [
    'true', p.email, p.firstName, 'ws-001', p.lastName, 'true', 'en-US', i === 0 ? '' : gongId(org, head), 'Europe/Berlin', gongId(org, p),
    personalText(org, `${org.pick(['Account Executive', 'Sales Manager'])}, ${p.lastName} accounts`), org.isoTime(400), `row-${org.chars(8, '0123456789')}`,
  ]);
  return {
    text: csvText(['ACTIVE', 'EMAIL_ADDRESS', 'FIRST_NAME', 'HOME_WORKSPACE_ID', 'LAST_NAME', 'LICENSED', 'LOCALE', 'MANAGER_ID', 'TIME_ZONE', 'USER_ID', 'TITLE', 'VALID_FROM_DATE_TIME', 'ROW_ID'], rows),
    kept: ['ws-001', 'Europe/Berlin', ...rows.flatMap((r) => r.slice(11))],
  };
}

function activitiesFile(org: FakeOrg) {
  const rows = org.people.map((p) => [`conv-${org.chars(8, '0123456789abcdef')}`, org.isoTime(7), org.pick(['listened_to_call', 'gave_feedback', 'filled_scorecard']), gongId(org, p)]);
  return {
    text: csvText(['CONVERSATION_KEY', 'GONG_ACTIVITY_DATETIME', 'GONG_ACTIVITY_TYPE', 'USER_ID'], rows),
    kept: rows.flatMap((r) => r.slice(0, 3)),
  };
}

export const GONG_BULK_CONNECTORS: readonly BulkConnector[] = [{
  id: 'gong-bulk', name: 'Gong data-cloud export', family: 'gong',
  input: "Gong's data-cloud tables as CSV (gzipped or not), one folder per export date and table: `<date>/<TABLE>/<file>.csv`, e.g. `2026-01-05/USERS/part-0.csv`, `2026-01-05/USER_CONVERSATION_GONG_ACTIVITIES/part-0.csv.gz`. Files at the bucket root are not processed.",
  sanitizes: 'Email addresses and user ids (user, manager, CRM user, call owner, scorecard and question authors) pseudonymized wherever a table has them; names, titles, notes, comments, mentions, tags, scorecard and question texts and answers, forecast category and line of business redacted; conversation keys, activity types, times and other columns pass through.',
  rules: RULES,
  examples: [
    { objectPath: '2026-01-05/USERS/part-0.csv', generate: usersFile },
    { objectPath: '2026-01-05/USER_CONVERSATION_GONG_ACTIVITIES/part-0.csv', generate: activitiesFile },
  ],
  conformance: [],
}];
