/**
 * Built-in rules for Slack, written for this project to act like psoxy v0.6.9's `discovery.yaml`
 * and `slack-analytics.yaml`: the same methods and query parameters, the same fields
 * pseudonymized (Slackbot's id `USLACKBOT` kept as is) and the same response schemas.
 * Two user ids psoxy leaves in the clear are pseudonymized here too (see `HISTORY`).
 */

/** A pseudonymize transform (URL-safe tokens) of user ids other than Slackbot's at `paths`. */
const userIds = (paths: string[], reversible = false) =>
  `!<pseudonymize> { encoding: URL_SAFE_TOKEN${reversible ? ', includeReversible: true' : ''}, jsonPaths: ${JSON.stringify(paths)} }`;

/** `$.list[*].field`, skipping Slackbot: `$.list[?(@.field!='USLACKBOT')].field`. */
const notSlackbot = (list: string, field: string) => `${list}[?(@.${field}!='USLACKBOT')].${field}`;

/** Where a channel listing names people: its creator, its members and who set its topic. */
const CHANNEL_PEOPLE = userIds([notSlackbot('$.channels', 'creator'), "$.channels[*].members[?(@!='USLACKBOT')]", notSlackbot('$.channels[*].topic', 'set_by')]);

/**
 * conversations.history: every user id a message carries. psoxy pseudonymizes `parent_user_id`
 * only inside `replies` and not `inviter` (channel_join messages), though both are user ids its
 * schema keeps; here they are pseudonymized wherever the schema keeps them.
 */
const HISTORY = userIds([
  notSlackbot('$.messages', 'user'),
  notSlackbot('$.messages', 'parent_user_id'),
  notSlackbot('$.messages', 'inviter'),
  notSlackbot('$.messages[*].files', 'user'),
  notSlackbot('$.messages[*].replies', 'user'),
  notSlackbot('$.messages[*].replies', 'parent_user_id'),
  notSlackbot('$.messages[*].edited', 'user'),
  notSlackbot('$.messages[*].room', 'created_by'),
  notSlackbot('$.messages[*].blocks[*].elements[*].elements', 'user_id'),
  "$.messages[*].reactions[*].users[?(@!='USLACKBOT')]",
  "$.messages[*].reply_users[?(@!='USLACKBOT')]",
  "$.messages[*].room.participant_history[?(@!='USLACKBOT')]",
]);

/** Slack's envelope around every discovery answer: `ok`, `error` and the `offset` cursor. */
const envelope = (extra: string) => `{ type: object, properties: { ok: *b, error: *s, offset: *s, ${extra} } }`;

export const SLACK_DISCOVERY_RULES_YAML = String.raw`
definitions:
  # Leaves, anchored where defined: &s string, &i integer, &b boolean, &ss array of strings.
  String: &s { type: string }
  Integer: &i { type: integer }
  Boolean: &b { type: boolean }
  Strings: &ss { type: array, items: { type: string } }
  Enterprise:
    type: object
    properties: { id: *s, domain: *s, email_domain: *s, url: *s, is_verified: *b, teams: { type: array, items: { $ref: "#/definitions/Team" } } }
  Team:
    type: object
    properties: { id: *s, domain: *s, email_domain: *s, url: *s, is_verified: *b, archived: *b, deleted: *b, created: *i, discoverable: *s,
      enterprise_id: *s, enterprise_domain: *s, is_enterprise: *i }
  # A person: names, titles, phones and pictures are dropped; ids and emails are pseudonymized above.
  User:
    type: object
    properties:
      id: *s
      team_id: *s
      teams: *ss
      name: *s
      email: *s
      deleted: *b
      is_admin: *b
      is_bot: *b
      stranger: *b
      locale: *s
      tz: *s
      tz_label: *s
      tz_offset: *i
      updated: *i
      profile: { type: object, properties: { email: *s, team: *s, bot_id: *s, api_app_id: *s, always_active: *b } }
  ConversationId:
    type: object
    properties: { id: *s, workspace_id: { type: object, properties: { id: *s } } }
  # A channel, DM or group DM: its kind and flags, not its name, topic or purpose.
  Conversation:
    type: object
    properties:
      id: *s
      conversation_id: { $ref: "#/definitions/ConversationId" }
      channel_type: *s
      created: *i
      creator: *s
      locale: *s
      is_moved: *i
      unlinked: *i
      stub: *b
      is_archived: *b
      is_channel: *b
      is_deleted: *b
      is_dm: *b
      is_ext_shared: *b
      is_general: *b
      is_global_shared: *b
      is_group: *b
      is_im: *b
      is_member: *b
      is_mpim: *b
      is_org_default: *b
      is_org_mandatory: *b
      is_org_shared: *b
      is_pending_ext_shared: *b
      is_private: *b
      is_read_only: *b
      is_shared: *b
      shared: { type: object, properties: { connected_team_ids: *ss, internal_team_ids: *ss, shared_team_ids: *ss } }
  RecentConversation:
    type: object
    properties: { id: *s, conversation_id: { $ref: "#/definitions/ConversationId" }, team: *s, ts: *s }
  UserConversation:
    type: object
    properties: { id: *s, conversation_id: { $ref: "#/definitions/ConversationId" }, channel_type: *s, team_id: *s, date_joined: *i, date_left: *i,
      is_ext_shared: *b, is_im: *b, is_mpim: *b, is_private: *b, is_shared: *b }
  # A message without its text, attachments' content or files' names: who, when, where, reactions and threads.
  Message:
    type: object
    properties:
      type: *s
      subtype: *s
      ts: *s
      event_ts: *s
      thread_ts: *s
      latest_reply: *s
      deleted_ts: *s
      client_msg_id: *s
      channel: *s
      team: *s
      source_team: *s
      user_team: *s
      user: *s
      parent_user_id: *s
      inviter: *s
      app_id: *s
      bot_id: *s
      bot_profile: { type: object, properties: { id: *s, app_id: *s, name: *s, team_id: *s, deleted: *b } }
      display_as_bot: *b
      is_starred: *b
      pinned_to: *ss
      reply_count: *i
      reply_users_count: *i
      reply_users: *ss
      replies: { type: array, items: { type: object, properties: { user: *s, parent_user_id: *s, ts: *s } } }
      reactions: { type: array, items: { type: object, properties: { name: *s, count: *i, users: *ss } } }
      edited: { type: object, properties: { user: *s, ts: *s } }
      files: { type: array, items: { type: object, properties: { id: *s, timestamp: *i } } }
      attachments: { type: array, items: { type: object, properties: {} } }
      blocks: { type: array, items: { type: object, properties: { type: *s, block_id: *s, elements: { type: array, items: { $ref: "#/definitions/BlockElement" } } } } }
      room: { $ref: "#/definitions/Room" }
  BlockElement:
    type: object
    properties: { type: *s, user_id: *s, elements: { type: array, items: { $ref: "#/definitions/BlockElement" } } }
  # A huddle or call: when, who started it and who took part.
  Room:
    type: object
    properties: { id: *s, app_id: *s, call_family: *s, media_backend_type: *s, display_id: *s, external_unique_id: *s, created_by: *s,
      date_start: *i, date_end: *i, channels: *ss, participant_history: *ss, has_ended: *b, is_dm_call: *b, is_scheduled: *b,
      was_accepted: *b, was_missed: *b, was_rejected: *b, thread_root_ts: *s, canvas_thread_ts: *s }
endpoints:
  - pathTemplate: /api/discovery.enterprise.info
    allowedQueryParams: [cursor, include_deleted, limit]
    responseSchema: ${envelope('enterprise: { $ref: "#/definitions/Enterprise" }, response_metadata: { type: object, properties: { next_cursor: *s } }')}
  - pathTemplate: /api/discovery.users.list
    allowedQueryParams: [limit, offset, include_deleted]
    transforms:
      # psoxy pseudonymizes only profile.email, yet its schema also keeps a top-level email.
      - ${userIds(['$.users[*].email', '$.users[*].profile.email', '$.users[*].profile.guest_invited_by'])}
      - ${userIds([notSlackbot('$.users', 'id')], true)}
      - !<redact> { jsonPaths: ["$.users[?(@.is_bot != true)].name"] }
    responseSchema: ${envelope('users: { type: array, items: { $ref: "#/definitions/User" } }')}
  - pathTemplate: /api/discovery.user.conversations
    allowedQueryParams: [user, include_historical, limit, offset]
    responseSchema: ${envelope('channels: { type: array, items: { $ref: "#/definitions/UserConversation" } }')}
  - pathTemplate: /api/discovery.conversations.list
    allowedQueryParams: [offset, team, only_public, only_private, only_im, only_mpim, only_ext_shared, limit]
    transforms: [${CHANNEL_PEOPLE}]
    responseSchema: ${envelope('channels: { type: array, items: { $ref: "#/definitions/Conversation" } }')}
  - pathTemplate: /api/discovery.conversations.recent
    allowedQueryParams: [team, latest, limit]
    transforms: [${CHANNEL_PEOPLE}]
    responseSchema: ${envelope('channels: { type: array, items: { $ref: "#/definitions/RecentConversation" } }')}
  - pathTemplate: /api/discovery.conversations.info
    allowedQueryParams: [channel, team, offset]
    transforms:
      - ${userIds([notSlackbot('$.info', 'creator'), "$.info[*].members[?(@!='USLACKBOT')]", notSlackbot('$.info[*].topic', 'set_by')])}
    responseSchema: ${envelope('info: { type: array, items: { $ref: "#/definitions/Conversation" } }')}
  - pathTemplate: /api/discovery.conversations.history
    allowedQueryParams: [channel, team, latest, oldest, reactions, limit]
    transforms: [${HISTORY}]
    responseSchema: ${envelope('has_edits: *b, messages: { type: array, items: { $ref: "#/definitions/Message" } }')}
`;

/**
 * Slack's admin analytics. `getFile` answers with newline-delimited JSON (one record per member
 * or channel); the rules name fields of one record, as psoxy's do.
 */
export const SLACK_ANALYTICS_RULES_YAML = String.raw`
endpoints:
  - pathTemplate: /api/admin.analytics.getFile
    allowedQueryParams: [type, date, metadata_only]
    transforms:
      - ${userIds(['$.user_id', '$.email_address'])}
      # public_channel records: a channel's name, topic and description are free text.
      - !<redact> { jsonPaths: [$.name, $.topic, $.description] }
  - pathTemplate: /api/admin.analytics.messages.metadata
    allowedQueryParams: [channel, oldest_ts, latest_ts, cursor, limit]
    transforms:
      - ${userIds([notSlackbot('$.messages', 'user_id')])}
  # Counts per message, department and workspace: nothing personal to transform.
  - pathTemplate: /api/admin.analytics.messages.activity
    allowedQueryParams: [channel, oldest_ts, latest_ts, cursor, limit]
`;
