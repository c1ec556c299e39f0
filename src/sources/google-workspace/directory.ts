/**
 * Google Directory (psoxy `SOURCE=gdirectory`): users, groups, group members, org units and domains
 * of the Admin SDK Directory API, read by an impersonated administrator. `gdirectory_no-app-ids`
 * also turns Google's own user ids into tokens. Responses shaped after the Directory API reference.
 */
import { person, type FakeOrg, type FakePerson, personalText } from '../catalogue/fake-org.ts';
import { googleId, workspaceConnector } from './workspace.ts';
import { under, yamlList } from './yaml.ts';

/** A user's identifiers: each becomes a token (emails keep their domain). */
const USER_IDENTIFIERS = [
  'primaryEmail', 'emails[*].address', 'aliases[*]', 'nonEditableAliases[*]', 'externalIds[*].value', 'ims[*].im',
  'phones[*].value', 'relations[*].value', 'locations[*].deskCode',
  'posixAccounts[*].accountId', 'posixAccounts[*].uid', 'posixAccounts[*].username',
];

/** A user's fields that go. */
const USER_REDACTED = [
  'name', 'recoveryEmail', 'recoveryPhone', 'thumbnailPhotoUrl', 'websites[*]', 'sshPublicKeys[*]',
  'organizations[*].title', 'posixAccounts[*].homeDirectory',
  // Beyond psoxy's rules: the street part of postal addresses (a home address identifies a
  // person; locality, region and country stay for location analysis) and the admin's free-text notes.
  'addresses[*].formatted', 'addresses[*].streetAddress', 'addresses[*].extendedAddress', 'addresses[*].poBox', 'notes',
];

/** Group and member addresses. */
const GROUP_ADDRESSES = ['$..email', '$..aliases[*]', '$..nonEditableAliases[*]'];

/** Transforms of users at `u` (`$` for users.get, `$.users[*]` for users.list). */
function userTransforms(u: string, appIds: boolean): string {
  return `
      - !<pseudonymize>
        encoding: URL_SAFE_TOKEN
        jsonPaths: ${yamlList(under(u, USER_IDENTIFIERS))}
      - !<redact>
        jsonPaths: ${yamlList(under(u, USER_REDACTED))}${appIds ? `
      - !<pseudonymize>
        encoding: URL_SAFE_TOKEN
        includeReversible: true
        jsonPaths: ${yamlList(under(u, ['id']))}` : ''}`;
}

/**
 * The Directory rules; with `appIds`, Google's user ids become tokens too (reversible on users, so
 * Worklytics can still fetch one user; one-way on group members).
 */
function directoryRulesYaml(appIds: boolean): string {
  const v1 = '/admin/directory/v1';
  return `
endpoints:
  # domains.list: the customer's domain names.
  - pathTemplate: "${v1}/customer/{customerId}/domains"
    allowedMethods: [GET, HEAD]

  # users.list: pathTemplate matches one segment, so sub-resources (photos) stay blocked.
  - pathTemplate: "${v1}/users"
    allowedMethods: [GET, HEAD]
    transforms:${userTransforms('$.users[*]', appIds)}

  # users.get, by id or primary email.
  - pathTemplate: "${v1}/users/{userKey}"
    allowedMethods: [GET, HEAD]
    transforms:${userTransforms('$', appIds)}

  # groups.list and groups.get: addresses become pseudonyms in psoxy's JSON form; descriptions go.
  # psoxy keeps each group's address beside its pseudonym (includeOriginal). Not here: the leak
  # guard (LEAK_GUARD=block by default) cannot tell a group's address from a person's and would
  # refuse every groups page; the pseudonym still joins with the members' tokens, the name stays.
  - pathRegex: "^${v1}/groups(?:/[^/?]+)?(?:[?].*)?$"
    allowedMethods: [GET, HEAD]
    transforms:
      - !<pseudonymize>
        encoding: JSON
        jsonPaths: ${yamlList(GROUP_ADDRESSES)}
      - !<redact>
        jsonPaths: ["$..description"]

  # members.list: members' addresses become tokens.
  - pathTemplate: "${v1}/groups/{groupKey}/members"
    allowedMethods: [GET, HEAD]
    transforms:
      - !<pseudonymize>
        encoding: URL_SAFE_TOKEN
        jsonPaths: ${yamlList(appIds ? [...GROUP_ADDRESSES, '$.members[*].id'] : GROUP_ADDRESSES)}

  # orgunits.list and orgunits.get: descriptions go.
  - pathRegex: "^${v1}/customer/[^/?]+/orgunits(?:/[^/?]+)?(?:[?].*)?$"
    allowedMethods: [GET, HEAD]
    transforms:
      - !<redact>
        jsonPaths: ["$..description"]
`;
}

const GROUP_ID = '03x8tuzt1b2k5mq';
const DEPARTMENTS = ['Engineering', 'Sales', 'Finance', 'People', 'Marketing'];

function user(org: FakeOrg, p: FakePerson) {
  const manager = person(org, 0) === p ? person(org, 1) : person(org, 0);
  const local = p.email.split('@')[0];
  const uid = String(org.int(1000000000, 1999999999));
  return {
    kind: 'admin#directory#user', id: googleId(org, p), etag: `"${org.chars(43)}"`, primaryEmail: p.email,
    name: { givenName: p.firstName, familyName: p.lastName, fullName: p.displayName, displayName: p.displayName },
    isAdmin: p === person(org, 0), isDelegatedAdmin: false, lastLoginTime: org.isoTime(3), creationTime: org.isoTime(900),
    agreedToTerms: true, suspended: false, archived: false, changePasswordAtNextLogin: false, ipWhitelisted: false,
    emails: [{ address: p.email, primary: true }, { address: personalText(org, `${local}@test.${org.domain}`) }],
    aliases: [personalText(org, `${local}.alias@${org.domain}`)],
    nonEditableAliases: [personalText(org, `${local}@${org.domain}.test-google-a.com`)],
    externalIds: [{ value: personalText(org, `HR-${org.int(100000, 999999)}-${p.lastName}`), type: 'organization' }],
    relations: [{ value: manager.email, type: 'manager' }],
    organizations: [{ title: personalText(org, `Principal ${p.lastName} Specialist`), primary: true, customType: '', department: org.pick(DEPARTMENTS), costCenter: 'CC-200' }],
    phones: [{ value: p.phone, type: 'work' }],
    ims: [{ type: 'work', protocol: 'custom_protocol', customProtocol: 'slack', im: personalText(org, `@${local}-chat`) }],
    addresses: [{ type: 'home', formatted: personalText(org, `${org.int(10, 999)} ${p.lastName} Street, Springfield, IL 62704`),
      streetAddress: personalText(org, `${org.int(10, 999)} ${p.lastName} Avenue`), locality: 'Springfield', region: 'IL', postalCode: '62704', countryCode: 'US' }],
    locations: [{ type: 'desk', area: 'desk', buildingId: 'HQ', floorName: '3', deskCode: personalText(org, `3-${p.lastName}-desk`) }],
    posixAccounts: [{ username: personalText(org, `${local.replace('.', '_')}_posix`), uid, gid: '1000', homeDirectory: personalText(org, `/home/${local}`), systemId: '', primary: true, operatingSystemType: 'linux' }],
    sshPublicKeys: [{ key: personalText(org, `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${org.chars(43)} ${p.email}`), fingerprint: org.chars(64, '0123456789abcdef') }],
    websites: [{ value: personalText(org, `https://intranet.${org.domain}/people/${local}`), type: 'profile', primary: true }],
    notes: { value: personalText(org, `${p.firstName} on leave until November, cover: ${manager.displayName}`), contentType: 'text_plain' },
    customerId: 'C03az79cb', orgUnitPath: '/Employees', isMailboxSetup: true, isEnrolledIn2Sv: true, isEnforcedIn2Sv: false,
    includeInGlobalAddressList: true,
    thumbnailPhotoUrl: personalText(org, `https://lh3.googleusercontent.com/a-/${org.chars(40)}`), thumbnailPhotoEtag: `"${org.chars(20)}"`,
    recoveryEmail: personalText(org, `${local}.personal@gmail.com`), recoveryPhone: personalText(org, `+1${org.int(2000000000, 9899999999)}`),
  };
}

function group(org: FakeOrg, id: string, name: string) {
  const slug = name.toLowerCase().replace(/\W+/g, '-');
  return {
    kind: 'admin#directory#group', id, etag: `"${org.chars(43)}"`, email: `${slug}@${org.domain}`, name, directMembersCount: String(org.people.length),
    description: personalText(org, `${name}: ${person(org, 0).displayName}'s reports, escalations to ${person(org, 0).phone}`),
    adminCreated: true, aliases: [`${slug}-all@${org.domain}`], nonEditableAliases: [`${slug}@${org.domain}.test-google-a.com`],
  };
}

const APP_IDS_NOTE = ' With `gdirectory_no-app-ids`, user ids become reversible tokens and group members\' ids one-way tokens.';

export const GDIRECTORY = workspaceConnector({
  id: 'gdirectory',
  name: 'Google Directory',
  host: 'admin.googleapis.com',
  api: 'admin.googleapis.com',
  scopes: [
    'https://www.googleapis.com/auth/admin.directory.user.readonly',
    'https://www.googleapis.com/auth/admin.directory.domain.readonly',
    'https://www.googleapis.com/auth/admin.directory.group.readonly',
    'https://www.googleapis.com/auth/admin.directory.orgunit.readonly',
  ],
  impersonates: 'admin',
  caveats: 'Worklytics reads the Directory before Gmail, Calendar and Drive: connect it first. The impersonated administrator needs read privileges on users, groups, organizational units and domains.',
  sanitizes: 'Users\' emails, aliases, phones, IM handles, external ids, manager relations, desk codes and POSIX identities become tokens; names, job titles, recovery email and phone, photos, websites, SSH keys, home directories, street addresses and notes are redacted. Group addresses become pseudonyms (psoxy also keeps the original address; the leak guard would refuse it); group and org-unit descriptions are redacted.' + APP_IDS_NOTE,
  rules: { '': directoryRulesYaml(false), '_no-app-ids': directoryRulesYaml(true) },
  conformance: { '': 'google-workspace/directory', '_no-app-ids': 'google-workspace/directory_no-app-ids' },
  examples: [
    { name: 'Users: list', path: '/admin/directory/v1/users?customer=my_customer&maxResults=10', response: (org) => ({
      kind: 'admin#directory#users', etag: `"${org.chars(43)}"`, users: org.people.map((p) => user(org, p)), nextPageToken: org.chars(40),
    }) },
    { name: 'Users: get', path: '/admin/directory/v1/users/103000000000000007919', response: (org) => user(org, person(org, 1)) },
    { name: 'Groups: list', path: '/admin/directory/v1/groups?customer=my_customer&maxResults=10', response: (org) => ({
      kind: 'admin#directory#groups', etag: `"${org.chars(43)}"`, groups: [group(org, GROUP_ID, 'Platform Team'), group(org, '01ci93xb3tmzlin', 'All Hands')],
    }) },
    { name: 'Groups: get', path: `/admin/directory/v1/groups/${GROUP_ID}`, response: (org) => group(org, GROUP_ID, 'Platform Team') },
    { name: 'Members: list', path: `/admin/directory/v1/groups/${GROUP_ID}/members?maxResults=10`, response: (org) => ({
      kind: 'admin#directory#members', etag: `"${org.chars(43)}"`,
      members: org.people.map((p, i) => ({ kind: 'admin#directory#member', etag: `"${org.chars(43)}"`, id: googleId(org, p), email: p.email, role: i === 0 ? 'OWNER' : 'MEMBER', type: 'USER', status: 'ACTIVE' })),
    }) },
    { name: 'Domains: list', path: '/admin/directory/v1/customer/my_customer/domains', response: (org) => ({
      kind: 'admin#directory#domains', etag: `"${org.chars(43)}"`,
      domains: [{ kind: 'admin#directory#domain', etag: `"${org.chars(43)}"`, domainName: org.domain, isPrimary: true, verified: true, creationTime: '1420070400000', domainAliases: [] }],
    }) },
    { name: 'OrgUnits: list', path: '/admin/directory/v1/customer/my_customer/orgunits?maxResults=10', response: (org) => ({
      kind: 'admin#directory#orgUnits', etag: `"${org.chars(43)}"`,
      organizationUnits: [{ kind: 'admin#directory#orgUnit', etag: `"${org.chars(43)}"`, name: 'Employees', orgUnitPath: '/Employees', orgUnitId: `id:${org.chars(12)}`,
        description: personalText(org, `Everyone reporting to ${person(org, 0).displayName}`), parentOrgUnitPath: '/', parentOrgUnitId: `id:${org.chars(12)}` }],
    }) },
  ],
});
