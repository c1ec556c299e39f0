/**
 * Built-in rules for Dropbox Business (`SOURCE=dropbox-business`), written for this project to have
 * the effect of psoxy v0.6.9's `dropbox-business.yaml`. Dropbox's API takes POST with a JSON body
 * for every call; GET is allowed as well because psoxy's cases call these endpoints with GET.
 *
 * Beyond psoxy: in the team log, every `email` and `account_id` under an event becomes a token, not
 * only the five places psoxy lists, because an event's `details` vary by its type (over a hundred
 * types) and many name other people. Known psoxy quirks kept (its examples expect them): the
 * identity-provider ids `member_external_id` / `external_id` and Dropbox's `team_member_id` stay as
 * they are, and so does an event's city.
 */
import { list } from '../catalogue/rules-yaml.ts';

const names = (at: string, keys: readonly string[]) => `${at}[${keys.map((k) => `'${k}'`).join(', ')}]`;

/** Files and their revisions: names and paths go, who last changed or locked a file becomes a token. */
const FILE_TRANSFORMS = `
      - !<pseudonymize>
        jsonPaths: ["$.entries[*].sharing_info.modified_by", "$.entries[*].file_lock_info.lockholder_account_id"]
        encoding: URL_SAFE_TOKEN
      - !<redact>
        jsonPaths: ${list([names('$.entries[*]', ['name', 'path_lower', 'path_display', 'preview_url', 'content_hash']), '$.entries[*].export_info.export_as', '$.entries[*].file_lock_info.lockholder_name'])}`;

const MEMBER_TRANSFORMS = `
      - !<pseudonymize>
        jsonPaths: ["$.members[*].profile.email", "$.members[*].profile.secondary_emails[*].email", "$.members[*].profile.account_id", "$.members[*].profile.persistent_id"]
        encoding: URL_SAFE_TOKEN
      - !<redact>
        jsonPaths: ${list([names('$.members[*].profile.name', ['abbreviated_name', 'display_name', 'familiar_name', 'given_name', 'surname']), '$.members[*].profile.profile_photo_url', names('$.members[*].roles[*]', ['description', 'name'])])}`;

const people = ['details.shared_content_owner', 'actor.user', 'actor.admin', 'context', 'participants[*].user'];

export const DROPBOX_BUSINESS_RULES_YAML = `
endpoints:
  # Team activity log.
  - pathRegex: "^/2/team_log/get_events(/continue)?$"
    allowedMethods: [POST, GET]
    transforms:
      - !<pseudonymize>
        jsonPaths: ["$.events[*]..email", "$.events[*]..account_id", "$.events[*].actor.reseller.resellerEmail", "$.events[*].origin.geo_location.ip_address"]
        encoding: URL_SAFE_TOKEN
      - !<redact>
        jsonPaths: ${list([...people.map((p) => `$.events[*].${p}.display_name`), '$.events[*].actor.reseller.reseller_name',
          names('$.events[*].assets[*]', ['display_name', 'doc_title', 'folder_title', 'showcase_title']), '$.events[*].assets[*].path.contextual',
          '$.events[*].assets[*].path.namespace_relative.relative_path'])}
  - pathRegex: "^/2/files/list_folder(/continue)?$"
    allowedMethods: [POST, GET]
    transforms:${FILE_TRANSFORMS}
  - pathRegex: "^/2/files/list_revisions$"
    allowedMethods: [POST, GET]
    transforms:${FILE_TRANSFORMS}
  - pathRegex: "^/2/team/groups/members/list(/continue)?$"
    allowedMethods: [POST, GET]
    transforms:${MEMBER_TRANSFORMS}
  - pathRegex: "^/2/team/members/list(/continue)?_v2$"
    allowedMethods: [POST, GET]
    transforms:${MEMBER_TRANSFORMS}
`;
