/**
 * Rules for the Admin SDK Reports API's activity logs, shared by the Meet and Chat connectors:
 * every `email` and the parameters naming people become tokens, IP addresses become hashes, and
 * every event parameter not on the connector's list is dropped.
 */
import { yamlList } from './yaml.ts';

export interface ActivityRules {
  /** The Reports API application name (`meet`, `chat`). */
  application: string;
  /** Event parameters whose `value` is a person's email. */
  identityParams: readonly string[];
  /** Event parameters kept (besides the identity ones and `ip_address`). */
  keptParams: readonly string[];
  /** More email fields to pseudonymize besides `email`. */
  emailFields?: readonly string[];
}

export function activityRulesYaml(r: ActivityRules): string {
  const quoted = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(',');
  const kept = [...r.identityParams, 'ip_address', ...r.keptParams];
  return `
endpoints:
  # All users' activity for one application; nothing else under /activity (the caller names no user).
  - pathTemplate: "/admin/reports/v1/activity/users/all/applications/${r.application}"
    allowedMethods: [GET, HEAD]
    transforms:
      - !<pseudonymize>
        encoding: URL_SAFE_TOKEN
        jsonPaths: ${yamlList([...['email', ...(r.emailFields ?? [])].map((f) => `$..${f}`), `$.items[*].events[*].parameters[?(@.name in [${quoted(r.identityParams)}])].value`])}
      - !<hashIp>
        jsonPaths: ${yamlList(['$.items[*].ipAddress', "$.items[*].events[*].parameters[?(@.name == 'ip_address')].value"])}
      # Whole parameters go (display names, free text, network details): only the listed ones stay.
      - !<redact>
        jsonPaths: ${yamlList([`$.items[*].events[*].parameters[?(!(@.name =~ /^(${kept.join('|')})$/i))]`])}
`;
}
