/** Microsoft Entra ID (`msft-entra-id`): the directory's users, groups and group members. */
import type { Connector } from '../catalogue/connector.ts';
import type { FakeOrg } from '../catalogue/fake-org.ts';
import { directoryEndpoints, type DirectoryFlags } from './directory.ts';
import { EXAMPLE_USER_ID, GRAPH_SECRETS, GRAPH_SENSITIVE, GRAPH_SETTINGS, graphSetup, graphUser, guid, odataContext } from './common.ts';
import { rulesYaml } from './graph-yaml.ts';

export const entraIdRules = (f: Omit<DirectoryFlags, 'groups'>) => rulesYaml(directoryEndpoints({ ...f, groups: true }));

const EXAMPLE_GROUP_ID = '02bd9fd6-8f93-4758-87c3-1fb73740a315';

/** A full user object, as one user's GET returns it with `$select` of the account fields. */
function fullUser(org: FakeOrg) {
  const p = org.pick(org.people);
  return {
    '@odata.context': odataContext('users/$entity'),
    ...graphUser(org, p),
    id: EXAMPLE_USER_ID,
    employeeId: String(org.int(10000, 99999)),
    otherMails: [p.email.replace('@', '.alt@')],
    proxyAddresses: [`SMTP:${p.email}`, `smtp:${p.firstName.toLowerCase()}@${org.domain}`],
    mailNickname: p.email.split('@')[0],
    accountEnabled: true,
    userType: 'Member',
  };
}

export function groupResponse(org: FakeOrg) {
  return {
    '@odata.context': odataContext('groups'),
    value: ['Engineering', 'Sales', 'All Staff'].map((name) => ({
      id: guid(org), displayName: name, description: `${name} at ${org.domain}`,
      mail: `${name.toLowerCase().replace(/ /g, '-')}@${org.domain}`, mailEnabled: true, mailNickname: name.toLowerCase().replace(/ /g, '-'),
      securityEnabled: false, groupTypes: ['Unified'], visibility: 'Private', createdDateTime: org.isoTime(900),
      proxyAddresses: [`SMTP:${name.toLowerCase().replace(/ /g, '-')}@${org.domain}`],
    })),
  };
}

export function usersResponse(org: FakeOrg) {
  return { '@odata.context': odataContext('users'), value: org.people.map((p) => graphUser(org, p)) };
}

export function membersResponse(org: FakeOrg) {
  return {
    '@odata.context': odataContext('directoryObjects'),
    value: org.people.slice(0, 4).map((p) => ({ '@odata.type': '#microsoft.graph.user', ...graphUser(org, p) })),
  };
}

/** The directory calls psoxy's specs make (entra-id, and outlook's users/groups calls). */
export const DIRECTORY_EXAMPLES = [
  { name: 'List users', path: '/v1.0/users', response: usersResponse },
  { name: 'Get a user', path: `/v1.0/users/${EXAMPLE_USER_ID}?$select=id,mail,otherMails,proxyAddresses,employeeId,accountEnabled,userType`, response: fullUser },
  { name: 'List groups', path: '/v1.0/groups', response: groupResponse },
  { name: 'List group members', path: `/v1.0/groups/${EXAMPLE_GROUP_ID}/members`, response: membersResponse },
];

export const ENTRA_ID: Connector = {
  id: 'msft-entra-id',
  name: 'Microsoft Entra ID',
  family: 'microsoft-365',
  settings: GRAPH_SETTINGS,
  secrets: GRAPH_SECRETS,
  sensitive: GRAPH_SENSITIVE,
  setup: graphSetup(['User.Read.All', 'Group.Read.All', 'MailboxSettings.Read']),
  caveats: 'Any Entra ID tenant (Microsoft 365 or Azure); psoxy\'s older `azure-ad` SOURCE is the same connector.',
  sanitizes: 'Users\' names, job titles, phones and profile texts are redacted; their addresses, principal names and employee ids become pseudonyms; groups keep their name and address, lose description and members. `_no-app-ids` also turns Entra object ids into pseudonyms (reversible for users, so `/v1.0/users/p~…` works).',
  rules: { '': entraIdRules({ appIds: true }), '_no-app-ids': entraIdRules({ appIds: false }) },
  examples: DIRECTORY_EXAMPLES,
  conformance: { '': 'microsoft-365/entra-id', '_no-app-ids': 'microsoft-365/entra-id_no-app-ids' },
  // psoxy's deprecated connector for the same directory calls.
  aliases: ['azure-ad'],
};
