/**
 * Google Drive audit log (psoxy `SOURCE=gdrive-log`, beta): Drive's activity log from the Admin
 * SDK Reports API (`applications/drive`): views, edits, downloads, previews, comments and sharing
 * changes, which the Drive files API (`gdrive`) does not give as events. No psoxy conformance cases:
 * rules written from Google's Drive audit event reference; responses shaped after it.
 */
import { personalText, type FakeOrg, type FakePerson } from '../catalogue/fake-org.ts';
import { activities, activity, ipAddress, workspaceConnector } from './workspace.ts';
import { activityRulesYaml } from './reports.ts';

/**
 * Owners and the people a sharing change names become tokens; document ids, types and the flags
 * of each event stay. Titles (of documents and folders) and `old_value` / `new_value` (a rename's
 * old and new titles) are dropped with every other parameter not listed.
 */
const DRIVE_LOG_RULES_YAML = activityRulesYaml({
  application: 'drive',
  identityParams: ['owner', 'target_user', 'actor_email'],
  keptParams: [
    'doc_id', 'doc_type', 'owner_is_shared_drive', 'owner_is_team_drive', 'owner_team_drive_id', 'shared_drive_id', 'team_drive_id', 'primary_event',
    'billable', 'visibility', 'old_visibility', 'visibility_change', 'originating_app_id', 'actor_is_collaborator_account', 'is_encrypted',
    'source_folder_id', 'destination_folder_id', 'added_role', 'removed_role', 'membership_change_type', 'target_domain', 'new_settings_state',
    'old_settings_state',
  ],
});

const DOC_TYPES = ['document', 'spreadsheet', 'presentation', 'pdf', 'folder'] as const;

/** One Drive audit event by `actor` on a document `owner` owns; sharing events name `target`. */
function driveEvent(org: FakeOrg, actor: FakePerson, owner: FakePerson, target: FakePerson, name: string) {
  const docTitle = personalText(org, `${owner.displayName} - compensation review ${org.int(2024, 2026)}`);
  const parameters: { name: string; value?: string; boolValue?: boolean; multiValue?: string[] }[] = [
    { name: 'primary_event', boolValue: true }, { name: 'billable', boolValue: true }, { name: 'owner_is_shared_drive', boolValue: false },
    { name: 'owner', value: owner.email }, { name: 'doc_id', value: org.chars(44) }, { name: 'doc_type', value: org.pick(DOC_TYPES) },
    { name: 'doc_title', value: docTitle }, { name: 'visibility', value: 'shared_internally' }, { name: 'actor_is_collaborator_account', boolValue: false },
    { name: 'originating_app_id', value: String(org.int(100000000000, 999999999999)) },
  ];
  if (name === 'change_user_access') {
    parameters.push({ name: 'target_user', value: target.email }, { name: 'added_role', value: 'can_edit' }, { name: 'removed_role', value: 'none' },
      { name: 'visibility_change', value: 'external' }, { name: 'old_value', multiValue: ['none'] }, { name: 'new_value', multiValue: ['can_edit'] });
  }
  if (name === 'rename') {
    parameters.push({ name: 'old_value', multiValue: [docTitle] }, { name: 'new_value', multiValue: [personalText(org, `${target.displayName} - offer letter (final)`)] });
  }
  if (name === 'move') {
    parameters.push({ name: 'source_folder_id', multiValue: [org.chars(33)] }, { name: 'source_folder_title', multiValue: [personalText(org, `${owner.lastName} family`)] },
      { name: 'destination_folder_id', multiValue: [org.chars(33)] }, { name: 'destination_folder_title', multiValue: [personalText(org, `${target.firstName}'s HR folder`)] });
  }
  const event = activity(org, 'drive', actor, { type: name === 'change_user_access' ? 'acl_change' : 'access', name, parameters });
  return { ...event, ipAddress: ipAddress(org) };
}

export const GDRIVE_LOG = workspaceConnector({
  id: 'gdrive-log',
  name: 'Google Drive Audit Log',
  host: 'admin.googleapis.com',
  api: 'admin.googleapis.com',
  scopes: ['https://www.googleapis.com/auth/admin.reports.audit.readonly'],
  impersonates: 'admin',
  caveats: 'psoxy marks this connector beta. Google keeps Drive audit events for about 180 days, so history older than that comes only from the `gdrive` (files API) connector; the impersonated administrator needs the Reports privilege, and the report covers licensed accounts only.',
  sanitizes: 'Actors\', owners\' and sharing targets\' emails become tokens, IP addresses hashes; of each event\'s parameters only document ids and types, flags, visibility, roles, folder ids and the target domain remain (titles, old and new values of renames and folder names do not come out).',
  rules: { '': DRIVE_LOG_RULES_YAML },
  examples: [
    { name: 'Activities: list (drive)', path: '/admin/reports/v1/activity/users/all/applications/drive?maxResults=25', response: (org) => {
      const [a, b, c] = [org.people[0], org.people[1 % org.people.length], org.people[2 % org.people.length]];
      return activities(org, [driveEvent(org, a, b, c, 'view'), driveEvent(org, b, b, c, 'change_user_access'), driveEvent(org, c, a, b, 'rename'), driveEvent(org, a, c, b, 'move')]);
    } },
  ],
});
