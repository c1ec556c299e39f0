/**
 * Where our built-in rules differ from psoxy's on purpose. Each entry protects more than psoxy's
 * rules (its relation is checked on every difference it excuses: see `holds`) and is also said in
 * the connector's rules or notes, where the reason is given at more length.
 */
import type { DeliberateDifference } from './rules-differential.ts';

const GROUP_ADDRESSES = /^(gdirectory|msft-entra-id|outlook-cal|outlook-mail)(_no-app-ids)?$/;

export const DELIBERATE: readonly DeliberateDifference[] = [
  {
    connectors: /./, at: /\.\+[^.]*$/, ours: 'drops',
    reason: 'Engine, any rules: a source\'s own `+` keys are filtered by responseSchema; psoxy\'s augment exemption lets them pass (SECURITY.md; met in psoxy\'s Java corpus only)',
  },
  {
    connectors: /^slack$/, at: /\.messages(\[\*\])+\.(parent_user_id|inviter)$/, ours: 'pseudonymizes',
    reason: 'Slack discovery: a message\'s parent_user_id and a channel_join\'s inviter are user ids psoxy\'s schema keeps but its transforms never reach (slack/rules.ts HISTORY)',
  },
  {
    connectors: /^slack$/, at: /^\$\.users(\[\*\])+\.email$/, ours: 'pseudonymizes',
    reason: 'Slack discovery: psoxy pseudonymizes a user\'s profile.email only, yet its schema also keeps a top-level email (slack/rules.ts)',
  },
  {
    connectors: /^asana$/, at: /_people_value(\[\*\])*\.gid$/, ours: 'pseudonymizes',
    reason: 'Asana: new_people_value / old_people_value in stories are user gids psoxy leaves as they are (asana/rules.ts)',
  },
  {
    connectors: /^salesforce$/, at: /(EventWhoIds|AcceptedEventInviteeIds|DeclinedEventInviteeIds|UndecidedEventInviteeIds|TaskWhoIds)(\[\*\])+$/, ours: 'pseudonymizes',
    reason: 'Salesforce: psoxy names the activity id lists with a lower-case first letter (eventWhoIds), which never matches Salesforce\'s fields, so the ids pass (salesforce/rules.ts)',
  },
  {
    connectors: /^jira-server$/, at: /\.(assignee|watchers(\[\*\])+)\.(key|emailAddress)$/, ours: 'pseudonymizes',
    reason: 'Jira Server: a single issue\'s assignee and watchers keep their key and email under psoxy\'s schema (atlassian/jira-server-rules.ts)',
  },
  {
    connectors: /^dropbox-business$/, at: /^\$\.events(\[\*\])+\.(.*\.)?(email|account_id)$/, ours: 'pseudonymizes',
    reason: 'Dropbox team log: every email and account_id under an event becomes a token, not only the five places psoxy lists; event details vary by type and name other people (dropbox-business/rules.ts)',
  },
  {
    connectors: /^msft-teams(_no-userIds)?$/, at: /\.members(\[\*\])+\.email$/, ours: 'pseudonymizes',
    reason: 'Teams: chat members\' email ($expand=members) is not in psoxy\'s rules, so the address passes (microsoft-365/msft-teams-rules.ts)',
  },
  {
    connectors: /^msft-teams(_no-userIds)?$/, at: /\.(subject|summary)$/, ours: 'empties',
    reason: 'Teams: a channel post\'s subject and a message\'s summary are free text psoxy keeps; ours become "" (null when not text) (microsoft-365/msft-teams-rules.ts MESSAGE_TITLES)',
  },
  {
    connectors: GROUP_ADDRESSES, at: /./, ours: 'omits-original',
    reason: 'Group addresses: psoxy keeps the plain address beside its pseudonym (includeOriginal); the leak guard would refuse it (google-workspace/directory.ts, microsoft-365/directory.ts)',
  },
  {
    connectors: /^gcal$/, at: /^\$(\.items(\[\*\])+)?\.(description|location|attendees(\[\*\])+\.comment|conferenceData\.entryPoints(\[\*\])+\.label|attachments(\[\*\])+\.title|outOfOfficeProperties\.autoDeclineMessage)$/, ours: 'drops',
    reason: 'Google Calendar: a calendar\'s description and location, RSVP comments, dial-in labels, attachment titles and auto-decline messages are free text people write; psoxy keeps them (google-workspace/calendar.ts)',
  },
  {
    connectors: /^gdirectory(_no-app-ids)?$/, at: /\.(notes|addresses(\[\*\])+\.(formatted|streetAddress))$/, ours: 'drops',
    reason: 'Google Directory: notes and the street part of postal addresses (a home address identifies a person) go; psoxy keeps them (google-workspace/directory.ts)',
  },
  {
    connectors: /^gmail$/, at: /\.snippet$/, ours: 'drops',
    reason: 'Gmail: the snippet (the body\'s first words) goes; psoxy keeps it (google-workspace/gmail.ts)',
  },
  {
    connectors: /^(asana|dropbox-business|gcal|msft-teams(_no-userIds)?|jira-server|salesforce|slack)$/, at: /^\(outcome\)$/, ours: 'fails-closed',
    reason: 'A value of the wrong type (an array or object where the provider sends a string) in a field only our rules transform fails the response, as psoxy does in the fields its rules transform; nothing is released',
  },
];
