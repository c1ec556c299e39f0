/**
 * Gemini in Workspace apps (psoxy `SOURCE=gemini-in-workspace-apps`, beta): Gemini's activity log
 * from the Admin SDK Reports API (which feature was used in which app). No psoxy conformance
 * cases: the rules follow psoxy's spec. Responses shaped after the Reports API activities.list
 * reference.
 */
import { personalText, type FakeOrg, type FakePerson } from '../catalogue/fake-org.ts';
import { activities, activity, workspaceConnector } from './workspace.ts';

const APPLICATION = 'gemini_in_workspace_apps';

/**
 * Only the activity fields listed in the schema leave the proxy (an event's parameters keep
 * name, value, intValue and boolValue); actors and people in resource details become tokens.
 */
const GEMINI_RULES_YAML = `
endpoints:
  # Everyone's activity, or one user's by numeric profile id (emails are refused as user keys).
  - pathRegex: "^/admin/reports/v1/activity/users/(?:all|[0-9]+)/applications/${APPLICATION}(?:[?].*)?$"
    allowedMethods: [GET, HEAD]
    allowedQueryParams: [customerId, maxResults, pageToken, startTime, endTime]
    transforms:
      - !<pseudonymize>
        encoding: URL_SAFE_TOKEN
        jsonPaths: ["$.items[*].actor.email", "$.items[*].resourceDetails[*]..email"]
      - !<hashIp>
        jsonPaths: ["$.items[*].ipAddress"]
    responseSchema:
      type: object
      properties:
        kind: { type: string }
        nextPageToken: { type: string }
        items: { type: array, items: { $ref: "#/definitions/Activity" } }
definitions:
  Activity:
    type: object
    properties:
      id:
        type: object
        properties: { time: { type: string, format: date-time }, uniqueQualifier: { type: string }, applicationName: { type: string }, customerId: { type: string } }
      actor:
        type: object
        properties: { callerType: { type: string }, email: { type: string }, profileId: { type: string } }
      ipAddress: { type: string }
      events:
        type: array
        items:
          type: object
          properties:
            type: { type: string }
            name: { type: string }
            parameters:
              type: array
              items: { type: object, properties: { name: { type: string }, value: { type: string }, intValue: { type: integer }, boolValue: { type: boolean } } }
      resourceDetails:
        type: array
        items: { type: object, properties: { id: { type: string }, type: { type: string }, relation: { type: string } } }
`;

function featureUsed(org: FakeOrg, user: FakePerson) {
  const used = activity(org, APPLICATION, user, {
    type: 'feature_utilization', name: 'feature_utilization', parameters: [
      { name: 'app_name', value: org.pick(['gmail', 'docs', 'sheets', 'slides', 'meet']) }, { name: 'action', value: 'summarize' },
      { name: 'feature_source', value: 'side_panel' }, { name: 'event_category', value: 'access' },
      { name: 'is_premium', boolValue: true }, { name: 'tokens', multiValue: [personalText(org, `${user.displayName} quarterly plan`)] },
    ],
  });
  // Resource details name the document and its owner; only id, type and relation are in the schema.
  return { ...used, resourceDetails: [{ id: org.chars(44), type: 'document', relation: 'TARGET',
    title: personalText(org, `${user.displayName} - performance notes`), owner: { email: org.pick(org.people).email } }] };
}

export const GEMINI_IN_WORKSPACE_APPS = workspaceConnector({
  id: 'gemini-in-workspace-apps',
  name: 'Google Gemini in Workspace Apps',
  host: 'admin.googleapis.com',
  api: 'admin.googleapis.com',
  scopes: ['https://www.googleapis.com/auth/admin.reports.audit.readonly'],
  impersonates: 'admin',
  caveats: 'psoxy marks this connector beta. Its log exists only where people have Gemini for Google Workspace; the impersonated administrator needs the Reports privilege.',
  sanitizes: 'Actors\' emails and any email in resource details become tokens, IP addresses hashes; only the fields of the activity schema (ids, times, actor, event names and parameter values, resource ids and types) leave the proxy.',
  rules: { '': GEMINI_RULES_YAML },
  examples: [
    { name: `Activities: list (${APPLICATION})`, path: `/admin/reports/v1/activity/users/all/applications/${APPLICATION}?maxResults=10`, response: (org) =>
      activities(org, org.people.slice(0, 3).map((p) => featureUsed(org, p))) },
  ],
});
