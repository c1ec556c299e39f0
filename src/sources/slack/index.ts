/**
 * Slack connectors (psoxy `SOURCE=slack` for the Discovery API, `slack-analytics` for the admin
 * analytics API): a Slack app's user token, long-lived, read from `ACCESS_TOKEN`.
 */
import type { Connector } from '../catalogue/connector.ts';
import { person, type FakeOrg, type FakePerson, personalText } from '../catalogue/fake-org.ts';
import { SLACK_ANALYTICS_RULES_YAML, SLACK_DISCOVERY_RULES_YAML } from './rules.ts';

const ENTERPRISE = 'E0ACME001';
const TEAM = 'T0ACME001';
const CHANNEL = 'C0PLANNING1';

/** Slack user ids: `W` (Enterprise Grid) plus ten upper-case characters, from the person's place in the org. */
const userId = (org: FakeOrg, p: FakePerson) => `W${String(org.people.indexOf(p) + 1).padStart(3, '0')}${p.id.slice(0, 7).toUpperCase()}`;

const slackTs = (org: FakeOrg) => `${Math.floor(Date.parse(org.isoTime()) / 1000)}.${String(org.int(0, 999999)).padStart(6, '0')}`;

function user(org: FakeOrg, p: FakePerson) {
  const title = personalText(org, `Head of ${p.lastName} accounts`);
  return {
    id: userId(org, p), team_id: TEAM, name: p.email.split('@')[0], deleted: false, color: '9f69e7', real_name: p.displayName,
    tz: 'Europe/Berlin', tz_label: 'Central European Summer Time', tz_offset: 7200,
    profile: {
      title, phone: p.phone, real_name: p.displayName, real_name_normalized: p.displayName, display_name: p.firstName,
      first_name: p.firstName, last_name: p.lastName, email: p.email, team: TEAM, status_text: personalText(org, `Out until Friday, call ${p.phone}`),
      image_72: `https://avatars.slack-edge.com/2026-01-01/${p.id}_72.jpg`,
    },
    is_admin: false, is_owner: false, is_bot: false, is_app_user: false, updated: 1780000000, teams: [TEAM], locale: 'en-US',
  };
}

function channel(org: FakeOrg) {
  const [creator, a, b] = [person(org, 0), org.pick(org.people), org.pick(org.people)];
  return {
    id: CHANNEL, name: personalText(org, `${creator.lastName.toLowerCase()}-offsite-planning`), created: 1780000000, creator: userId(org, creator),
    is_channel: true, is_private: false, is_archived: false, is_general: false, is_ext_shared: false, is_org_shared: false, is_shared: false,
    is_im: false, is_mpim: false, is_group: false, channel_type: 'channel', team: TEAM,
    members: [userId(org, creator), userId(org, a), userId(org, b)],
    topic: { value: personalText(org, `Offsite for ${a.displayName}'s team`), creator: userId(org, a), set_by: userId(org, a), last_set: 1780000100 },
    purpose: { value: personalText(org, `Ask ${b.email} for the budget`), creator: userId(org, b), last_set: 1780000200 },
  };
}

export const SLACK_DISCOVERY: Connector = {
  id: 'slack',
  name: 'Slack Discovery API',
  family: 'slack',
  settings: { TARGET_HOST: 'www.slack.com', SOURCE_AUTH_STRATEGY_IDENTIFIER: 'oauth2_access_token' },
  secrets: ['ACCESS_TOKEN'],
  sensitive: ['ACCESS_TOKEN'],
  setup: [
    'At https://api.slack.com/apps create an app from scratch in a workspace of the Enterprise Grid org and note its App ID.',
    'Ask your Slack account team to enable the `discovery:read` user scope for that App ID (remove `discovery:write` if they',
    'add it: reading is all the proxy does). To install across the whole org, add one read-only bot scope (e.g. `users:read`,',
    'which Slack requires for org-wide apps but the proxy never uses), opt into org-level apps under Settings → Manage',
    'Distribution, then Install to Organization (an org admin approves); for one workspace, Install to Workspace. Copy the',
    '*User OAuth Token* (`xoxp-…`) into `ACCESS_TOKEN`.',
  ].join('\n'),
  caveats: 'The Discovery API exists only on Slack Enterprise Grid, and Slack enables `discovery:read` per app on request; the token does not expire until the app is uninstalled or the token revoked.',
  sanitizes: 'User ids (reversible in the user list), emails and the ids of channel creators, members, message authors, reactors, repliers and huddle participants become tokens; Slackbot\'s id stays; names, titles, phones, pictures, message texts, attachments, channel names, topics and purposes are dropped.',
  rules: { '': SLACK_DISCOVERY_RULES_YAML },
  conformance: { '': 'slack/discovery' },
  // psoxy's Terraform key for this connector (its SOURCE is `slack`).
  aliases: ['slack-discovery-api'],
  examples: [
    { name: 'discovery.enterprise.info', path: '/api/discovery.enterprise.info',
      response: (org) => ({ ok: true, enterprise: { id: ENTERPRISE, name: 'Acme', domain: 'acme-corp', email_domain: org.domain, is_verified: true,
        teams: [{ id: TEAM, name: 'Acme HQ', domain: 'acme-hq', email_domain: org.domain, enterprise_id: ENTERPRISE, is_verified: true, created: 1600000000 }] } }) },
    { name: 'discovery.users.list', path: '/api/discovery.users.list?limit=100',
      response: (org) => ({ ok: true, offset: 'W999', users: [...org.people.map((p) => user(org, p)),
        { id: 'USLACKBOT', team_id: TEAM, name: 'slackbot', is_bot: false, deleted: false, profile: { real_name: 'Slackbot', team: TEAM } }] }) },
    { name: 'discovery.conversations.list', path: '/api/discovery.conversations.list?team=T0ACME001&limit=100',
      response: (org) => ({ ok: true, channels: [channel(org)], offset: CHANNEL }) },
    { name: 'discovery.conversations.info', path: `/api/discovery.conversations.info?channel=${CHANNEL}&team=${TEAM}`,
      response: (org) => ({ ok: true, info: [channel(org)] }) },
    { name: 'discovery.user.conversations', path: `/api/discovery.user.conversations?user=W001&limit=100`,
      response: () => ({ ok: true, channels: [{ id: CHANNEL, team_id: TEAM, channel_type: 'channel', date_joined: 1780000000, date_left: 0, is_private: false, is_im: false, is_mpim: false, is_ext_shared: false }] }) },
    { name: 'discovery.conversations.recent', path: `/api/discovery.conversations.recent?team=${TEAM}&limit=100`,
      response: (org) => ({ ok: true, channels: [{ id: CHANNEL, team: TEAM, ts: slackTs(org) }] }) },
    { name: 'discovery.conversations.history', path: `/api/discovery.conversations.history?channel=${CHANNEL}&team=${TEAM}&limit=100`,
      response: (org) => {
        const [author, replier, joiner, inviter] = [person(org, 0), person(org, 1), org.pick(org.people), org.pick(org.people)];
        const ts = slackTs(org);
        return { ok: true, has_edits: true, offset: ts, messages: [
          { type: 'message', user: userId(org, author), team: TEAM, ts, client_msg_id: 'c7a6e3f2-1d2b-4c5e-9f0a-1b2c3d4e5f60',
            text: personalText(org, `<@${userId(org, replier)}> can you send ${replier.email} the draft?`), thread_ts: ts, reply_count: 1, reply_users_count: 1,
            reply_users: [userId(org, replier)], replies: [{ user: userId(org, replier), ts: slackTs(org) }],
            reactions: [{ name: 'eyes', count: 1, users: [userId(org, replier)] }],
            edited: { user: userId(org, author), ts: slackTs(org) },
            blocks: [{ type: 'rich_text', block_id: 'b1', elements: [{ type: 'rich_text_section', elements: [{ type: 'user', user_id: userId(org, replier) }, { type: 'text', text: ' can you send the draft?' }] }] }],
            files: [{ id: 'F0DRAFT01', name: personalText(org, `${author.lastName}-salary-review.xlsx`), user: userId(org, author), timestamp: 1780000300 }] },
          { type: 'message', user: userId(org, replier), ts: slackTs(org), thread_ts: ts, parent_user_id: userId(org, author), text: personalText(org, `Sent, ${author.firstName}!`) },
          { type: 'message', subtype: 'channel_join', user: userId(org, joiner), inviter: userId(org, inviter), ts: slackTs(org), text: `<@${userId(org, joiner)}> has joined the channel` },
        ] };
      } },
  ],
};

export const SLACK_ANALYTICS: Connector = {
  id: 'slack-analytics',
  name: 'Slack Analytics API',
  family: 'slack',
  settings: { TARGET_HOST: 'slack.com', SOURCE_AUTH_STRATEGY_IDENTIFIER: 'oauth2_access_token' },
  secrets: ['ACCESS_TOKEN'],
  sensitive: ['ACCESS_TOKEN'],
  setup: [
    'At https://api.slack.com/apps create an app from scratch; under OAuth & Permissions add the user token scope',
    '`admin.analytics:read`. Install it to the workspace (Install to Workspace), or, for the whole org, add one read-only bot',
    'scope (e.g. `users:read`, required for org-wide apps, never used), opt into org-level apps under Settings → Manage',
    'Distribution and Install to Organization. The installing user must be an org owner or admin. Copy the *User OAuth Token*',
    'into `ACCESS_TOKEN`.',
  ].join('\n'),
  caveats: 'Slack\'s admin analytics API is for Enterprise Grid orgs (and the `admin.*` scopes for org owners and admins); the member analytics file has data from the day before at the earliest.',
  sanitizes: 'Member analytics records: user ids and email addresses become tokens; channel records lose their names, topics and descriptions; message metadata: author ids become tokens (Slackbot\'s stays).',
  rules: { '': SLACK_ANALYTICS_RULES_YAML },
  conformance: { '': 'slack/slack-analytics' },
  examples: [
    // One record of the member file (Slack sends newline-delimited JSON, one such object per line).
    { name: 'admin.analytics.getFile (member)', path: '/api/admin.analytics.getFile?type=member&date=2026-09-30',
      response: (org) => {
        const p = person(org, 0);
        return { enterprise_id: ENTERPRISE, date: '2026-09-30', user_id: userId(org, p), email_address: p.email, is_guest: false, is_billable_seat: true,
          is_active: true, is_active_desktop: true, messages_posted_count: org.int(0, 80), reactions_added_count: org.int(0, 20), date_claimed: 1600000000 };
      } },
    { name: 'admin.analytics.messages.metadata', path: `/api/admin.analytics.messages.metadata?channel=${CHANNEL}&limit=100`,
      response: (org) => ({ ok: true, messages: org.people.slice(0, 3).map((p) => ({ type: 'message', ts: slackTs(org), user_id: userId(org, p), text_character_count: org.int(5, 300) })),
        response_metadata: { next_cursor: '' } }) },
    { name: 'admin.analytics.messages.activity', path: `/api/admin.analytics.messages.activity?channel=${CHANNEL}&limit=50`,
      response: (org) => ({ ok: true, message_activities: [{ channel_id: CHANNEL, timestamp: slackTs(org), unique_user_reactions_count: 4, unique_user_views_count: 30,
        unique_stats_by_department: [{ department: 'Finance', views: 12, reactions: 2, shares: 0, clicks: 1 }] }], response_metadata: { next_cursor: '' } }) },
  ],
};

export const SLACK_CONNECTORS: readonly Connector[] = [SLACK_DISCOVERY, SLACK_ANALYTICS];
