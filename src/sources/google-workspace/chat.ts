/**
 * Google Chat (psoxy `SOURCE=google-chat`): Chat's activity log from the Admin SDK Reports API
 * (who posted in which space, when). No psoxy conformance cases: the rules follow psoxy's
 * google-chat spec. Responses shaped after the Reports API activities.list reference.
 */
import { personalText, type FakeOrg, type FakePerson } from '../catalogue/fake-org.ts';
import { activities, activity, ipAddress, workspaceConnector } from './workspace.ts';
import { activityRulesYaml } from './reports.ts';

const CHAT_RULES_YAML = activityRulesYaml({
  application: 'chat',
  identityParams: ['actor'],
  // room_name is a space's name as people typed it: free text, kept as psoxy's spec keeps it.
  keptParams: ['room_id', 'room_name', 'message_id', 'timestamp_ms'],
  emailFields: ['userEmail'],
});

function messagePosted(org: FakeOrg, author: FakePerson) {
  return activity(org, 'chat', author, {
    type: 'user_action', name: 'message_posted', parameters: [
      { name: 'actor', value: author.email }, { name: 'room_id', value: `AAAA${org.chars(7)}` }, { name: 'room_name', value: 'Platform Team' },
      { name: 'message_id', value: `${org.chars(11)}.${org.chars(11)}` }, { name: 'timestamp_ms', intValue: String(1791206042000 + org.int(0, 86400000)) },
      { name: 'conversation_type', value: 'SPACE' }, { name: 'ip_address', value: ipAddress(org) },
      { name: 'attachment_name', value: personalText(org, `${author.displayName} offer letter.pdf`) },
    ],
  });
}

export const GOOGLE_CHAT = workspaceConnector({
  id: 'google-chat',
  name: 'Google Chat',
  host: 'admin.googleapis.com',
  api: 'admin.googleapis.com',
  scopes: ['https://www.googleapis.com/auth/admin.reports.audit.readonly'],
  impersonates: 'admin',
  caveats: 'The impersonated administrator needs the Reports privilege. Chat\'s audit log is in the Reports API only for Google Workspace editions that include it.',
  sanitizes: 'Actors\' emails become tokens and IP addresses hashes; of each event\'s parameters only the actor, space id and name, message id and time remain.',
  rules: { '': CHAT_RULES_YAML },
  examples: [
    { name: 'Activities: list (chat)', path: '/admin/reports/v1/activity/users/all/applications/chat?maxResults=10', response: (org) =>
      activities(org, org.people.slice(0, 3).map((p) => messagePosted(org, p))) },
  ],
});
