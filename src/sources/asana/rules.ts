/**
 * Built-in rules for Asana (`SOURCE=asana`), written for this project to have the effect of
 * psoxy v0.6.9's `asana.yaml`. User gids are pseudonymized wherever a task or story names a person;
 * every `name`, note, comment text and preview is redacted.
 *
 * Beyond psoxy: story fields that record a change of a people-type custom field
 * (`new_people_value`, `old_people_value`) are pseudonymized too; psoxy leaves those user gids as
 * they are. Known psoxy quirk kept (its projects example expects it): a project's `owner`,
 * `members` and `followers` keep their user gids unpseudonymized (their names are redacted).
 */
import { list } from '../catalogue/rules-yaml.ts';

const PAGED = ['limit', 'offset', 'opt_fields'];
const TASK_FILTERS = [...PAGED, 'project', 'completed_since', 'modified_since'];


/** Transforms for a task object at `at` (`$.data` for one task, `$.data[*]` for a page of them). */
function taskTransforms(at: string): string {
  const people = ['created_by', 'completed_by', 'assignee', 'hearts[*].user', 'likes[*].user', 'followers[*]', 'custom_fields[*].created_by', 'custom_fields[*].people_value[*]'];
  return `
      - !<redact>
        jsonPaths: ${list([`${at}.external`, `${at}.notes`, `${at}.html_notes`, `${at}..name`, `${at}.custom_fields[*].description`])}
      - !<pseudonymize>
        jsonPaths: ${list([...people.map((p) => `${at}.${p}.gid`), `${at}..email`])}
        encoding: URL_SAFE_TOKEN`;
}

const storyPeople = ['assignee', 'created_by', 'follower', 'hearts[*].user', 'likes[*].user', 'story.created_by', 'new_people_value[*]', 'old_people_value[*]'];

export const ASANA_RULES_YAML = `
endpoints:
  - pathTemplate: /api/1.0/workspaces
    allowedQueryParams: ${list(PAGED)}
  # The directory: names and photos go, emails become tokens, user gids reversible tokens (Worklytics looks users up by them).
  - pathTemplate: /api/1.0/users
    allowedQueryParams: ${list([...PAGED, 'workspace', 'team'])}
    transforms:
      - !<redact>
        jsonPaths: ["$.data[*].name", "$.data[*].photo"]
      - !<pseudonymize>
        jsonPaths: ["$.data[*].email"]
        encoding: URL_SAFE_TOKEN
      - !<pseudonymize>
        jsonPaths: ["$.data[*].gid"]
        includeReversible: true
        encoding: URL_SAFE_TOKEN
  - pathTemplate: /api/1.0/workspaces/{workspaceId}/teams
    allowedQueryParams: ${list(PAGED)}
    transforms:
      - !<redact>
        jsonPaths: ["$.data[*]..name", "$.data[*].description", "$.data[*].html_description"]
  - pathTemplate: /api/1.0/teams/{teamId}/projects
    allowedQueryParams: ${list([...PAGED, 'archived'])}
    transforms:
      - !<redact>
        jsonPaths: ["$..name", "$.data[*].notes", "$.data[*].html_notes", "$.data[*].current_status", "$.data[*].current_status_update",
          "$.data[*].created_by", "$.data[*].completed_by", "$.data[*].custom_field_settings[*].custom_field.created_by",
          "$.data[*].custom_field_settings[*].custom_field.description"]
  - pathTemplate: /api/1.0/tasks
    allowedQueryParams: ${list(TASK_FILTERS)}
    transforms:${taskTransforms('$.data[*]')}
  - pathTemplate: /api/1.0/tasks/{taskId}
    allowedQueryParams: ${list(TASK_FILTERS)}
    transforms:${taskTransforms('$.data')}
  - pathTemplate: /api/1.0/tasks/{taskId}/subtasks
    allowedQueryParams: ${list(TASK_FILTERS)}
    transforms:${taskTransforms('$.data[*]')}
  - pathTemplate: /api/1.0/workspaces/{workspaceId}/tasks/search
    allowedQueryParams: ${list(['limit', 'modified_at.after', 'modified_at.before', 'is_subtask', 'sort_ascending', 'opt_fields'])}
    transforms:${taskTransforms('$.data[*]')}
  # Stories: comments and change records; texts, names and previews go, the people in them become tokens.
  - pathTemplate: /api/1.0/tasks/{taskId}/stories
    allowedQueryParams: ${list(PAGED)}
    transforms:
      - !<redact>
        jsonPaths: ["$.data[*]..name", "$.data[*].text", "$.data[*].html_text", "$.data[*].new_text_value", "$.data[*].old_text_value",
          "$.data[*].new_name", "$.data[*].old_name", "$.data[*].previews"]
      - !<pseudonymize>
        jsonPaths: ${list([...storyPeople.map((p) => `$.data[*].${p}.gid`), '$.data[*]..email'])}
        encoding: URL_SAFE_TOKEN
`;
