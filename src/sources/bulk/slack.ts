/**
 * Slack's bulk exports: the Discovery API export (`slack-discovery-bulk`: users, conversations and
 * messages as NDJSON, one folder per week) and the Slack AI analytics CSV (`slack-ai-analytics-bulk`).
 *
 * psoxy's discovery rules drop only `name` / `real_name` of users and `text` of messages, so a real
 * export's profile (display name, phone, title, status, avatar URLs, which Gravatar derives from the
 * email) and the message's rich-text `blocks`, `attachments`, `files` and `user_profile` (the same
 * text and names again) come out as is. Ours redact those too; redacting a field that is absent adds
 * nothing, so psoxy's conformance files come out byte for byte. Slack user ids stay Slack ids, as
 * in psoxy: the users file links them to the pseudonymized emails. Keys may end `.ndjson` or
 * `.ndjson.gz` (psoxy's accept only `.gz`; a plain file is read as is either way).
 */
import type { BulkConnector } from '../catalogue/connector.ts';
import { person, personalText, type FakeOrg, type FakePerson } from '../catalogue/fake-org.ts';
import { csvText } from './example-files.ts';

const TEAM = 'T0ACME001';
const userId = (org: FakeOrg, p: FakePerson) => `U${String(org.people.indexOf(p) + 1).padStart(3, '0')}${p.id.slice(0, 6).toUpperCase()}`;
const handle = (org: FakeOrg, p: FakePerson) => personalText(org, p.email.split('@')[0]);
const ndjson = (records: readonly unknown[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';
const slackTs = (org: FakeOrg) => `${Math.floor(Date.parse(org.isoTime()) / 1000)}.${String(org.int(0, 999999)).padStart(6, '0')}`;

const DISCOVERY_RULES = `
fileRules:
  /export-{week}/users.ndjson{compression?}:
    format: NDJSON
    transforms:
      - pseudonymize: [$.profile.email]
      - redact: [$.name, $.real_name, $.profile.real_name, $.profile.real_name_normalized, $.profile.display_name,
          $.profile.display_name_normalized, $.profile.first_name, $.profile.last_name, $.profile.phone, $.profile.skype,
          $.profile.title, $.profile.pronouns, $.profile.status_text, $.profile.status_emoji_display_info, $.profile.fields,
          $.profile.image_24, $.profile.image_32, $.profile.image_48, $.profile.image_72, $.profile.image_192,
          $.profile.image_512, $.profile.image_1024, $.profile.image_original, $.profile.avatar_hash]
  # Conversation files (channels, groups, DMs, multi-person DMs) share one rule, which also covers
  # messages inside them: psoxy's rules redact \`name\` in some and \`text\` in others.
  /export-{week}/channels.ndjson{compression?}: &conversation
    format: NDJSON
    transforms:
      - redact: [$.name, $.name_normalized, $.previous_names, $.topic, $.purpose, $.text, $.blocks, $.attachments, $.files, $.user_profile]
  /export-{week}/groups.ndjson{compression?}: *conversation
  /export-{week}/dms.ndjson{compression?}: *conversation
  /export-{week}/mpims.ndjson{compression?}: *conversation
  /export-{week}/messages-{id}.ndjson{compression?}:
    format: NDJSON
    transforms:
      - redact: [$.text, $.channel_name, $.blocks, $.attachments, $.files, $.user_profile]
`;

function usersFile(org: FakeOrg) {
  const records = org.people.map((p) => ({
    id: userId(org, p), team_id: TEAM, name: handle(org, p), real_name: p.displayName, deleted: false, is_bot: false, tz: 'Europe/Berlin',
    profile: {
      email: p.email, real_name: p.displayName, display_name: p.displayName, first_name: p.firstName, last_name: p.lastName, phone: p.phone,
      title: personalText(org, `Lead for the ${p.lastName} account`), status_text: personalText(org, `Back Monday, ring ${p.phone}`),
      image_72: personalText(org, `https://secure.gravatar.com/avatar/${p.id}.jpg?s=72`),
    },
  }));
  return { text: ndjson(records), kept: [TEAM, ...records.map((r) => r.id), 'Europe/Berlin'] };
}

function channelsFile(org: FakeOrg) {
  const records = [0, 1].map((n) => ({
    id: `C0CHAN${n}${org.chars(4, '0123456789')}`, created: 1760000000 + n, name: personalText(org, `proj-${org.pick(org.people).lastName.toLowerCase()}-renewal`),
    topic: { value: personalText(org, `Renewal with ${person(org, 0).displayName}'s team`), creator: userId(org, person(org, 0)) },
    members: org.people.map((p) => userId(org, p)),
  }));
  return { text: ndjson(records), kept: records.map((r) => r.id) };
}

function mpimsFile(org: FakeOrg) {
  const members = org.people.slice(0, 3);
  const record = { id: `G0MPIM${org.chars(5, '0123456789')}`, created: 1760000100, name: personalText(org, `mpdm-${members.map((p) => handle(org, p)).join('--')}-1`), members: members.map((p) => userId(org, p)) };
  return { text: ndjson([record]), kept: [record.id] };
}

function messagesFile(org: FakeOrg) {
  const records = org.people.map((p) => {
    const text = personalText(org, `${p.firstName}, can you send ${org.pick(org.people).displayName} the ${p.lastName} contract?`);
    return {
      client_msg_id: `${org.chars(8, '0123456789abcdef')}-0000-4000-8000-${org.chars(12, '0123456789abcdef')}`, type: 'message', text, user: userId(org, p), ts: slackTs(org), team: TEAM,
      user_profile: { real_name: p.displayName, display_name: p.displayName, name: handle(org, p) },
      blocks: [{ type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }] }],
      channel_id: 'C0CHAN0', channel_name: personalText(org, `deal-${p.lastName.toLowerCase()}-2026`),
    };
  });
  return { text: ndjson(records), kept: records.map((r) => r.ts) };
}

function aiAnalyticsFile(org: FakeOrg) {
  const owner = person(org, 0);
  const rows = org.people.map((p) => [TEAM, org.domain, owner.email, org.domain, userId(org, p), p.email, p.displayName, handle(org, p), 'Member', String(org.int(0, 90)), String(org.int(0, 20)), org.pick(['TRUE', 'FALSE'])]);
  return {
    text: csvText(['TEAM_ID', 'TEAM_DOMAIN', 'PRIMARY_OWNER_EMAIL', 'PRIMARY_OWNER_EMAIL_DOMAIN', 'USER_ID', 'USER_EMAIL', 'FULL_NAME', 'USERNAME', 'USER_ROLE', 'TOTAL_SLACK_AI_USAGE_TILL_DATE', 'SLACK_AI_USAGE_LAST_7_DAYS', 'SLACK_AI_WAU'], rows),
    kept: [TEAM, 'TOTAL_SLACK_AI_USAGE_TILL_DATE', 'SLACK_AI_WAU'],
  };
}

export const SLACK_BULK_CONNECTORS: readonly BulkConnector[] = [
  {
    id: 'slack-discovery-bulk', name: 'Slack Discovery API export', family: 'slack',
    input: "The Discovery API export, NDJSON (gzipped or not), one folder per week: `export-<week>/users.ndjson.gz`, `channels`, `groups`, `dms`, `mpims` and `messages-<channel id>.ndjson.gz` (psoxy's flat and hierarchical layouts are the same keys).",
    sanitizes: 'Users: email pseudonymized; handle, names, phone, title, status, custom fields and avatar URLs redacted. Conversations: names, topics, purposes and any message text redacted. Messages: text, rich-text blocks, attachments, files, user profile and channel name redacted. Slack ids, timestamps, reactions and membership pass through.',
    rules: DISCOVERY_RULES,
    examples: [
      { objectPath: 'export-20260105/users.ndjson.gz', generate: usersFile },
      { objectPath: 'export-20260105/channels.ndjson.gz', generate: channelsFile },
      { objectPath: 'export-20260105/mpims.ndjson', generate: mpimsFile },
      { objectPath: 'export-20260105/messages-C0CHAN0.ndjson.gz', generate: messagesFile },
    ],
    conformance: ['slack/discovery-bulk', 'slack/discovery-bulk-hierarchical'],
  },
  {
    id: 'slack-ai-analytics-bulk', name: 'Slack AI analytics export', family: 'slack',
    input: "Slack's AI analytics CSV (Admin → Analytics → Slack AI, exported), one row per user: team, owner, USER_ID, USER_EMAIL, FULL_NAME, USERNAME, role and usage columns. Drop it in the input bucket as `<anything>.csv`.",
    sanitizes: "USER_EMAIL pseudonymized (`t~` tokens, as psoxy's custom bulk connectors write), USER_ID and USERNAME too when present; FULL_NAME and the workspace owner's email and domain redacted; usage counts and flags pass through.",
    rules: `
pseudonymFormat: URL_SAFE_TOKEN
columnsToPseudonymize: [USER_EMAIL]
columnsToPseudonymizeIfPresent: [USER_ID, USERNAME]
columnsToRedact: [PRIMARY_OWNER_EMAIL, PRIMARY_OWNER_EMAIL_DOMAIN, FULL_NAME]
`,
    examples: [{ objectPath: 'slack-ai-analytics-2026-01-05.csv', generate: aiAnalyticsFile }],
    conformance: [],
    // psoxy's connector id (Slack AI Snapshot) and its custom bulk connector's key.
    aliases: ['slack-ai-snapshot', 'slack-ai-bulk'],
  },
];
