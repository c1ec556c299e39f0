/**
 * The Entra ID directory part every Microsoft 365 connector shares (users, groups, group members,
 * mailbox settings), by psoxy's variant flags: `appIds: false` (`_no-app-ids`) pseudonymizes
 * Entra object ids, reversibly for users so a later call can name one (`/users/p~…`), and then
 * only accepts such tokens in paths; `groups: false` (`_no-groups`) leaves the group endpoints out.
 */
import { ODATA_CONTEXT, pseudonymize, pseudonymizeRegexMatches, redact, type GraphEndpoint } from './graph-yaml.ts';

export interface DirectoryFlags {
  /** Entra object ids pass as they are (psoxy's default); false for `_no-app-ids`. */
  appIds: boolean;
  /** Group endpoints allowed; false for `_no-groups`. */
  groups: boolean;
}

/** One user path segment: any id, or only a reversible pseudonym where ids are pseudonymized. */
export const userSegment = (f: Pick<DirectoryFlags, 'appIds'>) => (f.appIds ? '[^/?]+' : 'p~[\\w-]+');

/** Name, contact and profile fields of a user object that go (psoxy's list). */
const USER_REDACTED = [
  '$..displayName', '$..aboutMe', '$..mySite', '$..preferredName', '$..givenName', '$..surname', '$..jobTitle',
  '$..mailNickname', '$..responsibilities', '$..skills', '$..faxNumber', '$..mobilePhone', '$..businessPhones[*]',
  '$..onPremisesExtensionAttributes', '$..onPremisesSecurityIdentifier', '$..securityIdentifier',
];
/**
 * Not in psoxy's list: free-text profile fields and the birthday, which Graph returns for one
 * user on `$select`. Worklytics never selects them; a caller that did would get them in the clear.
 */
const USER_REDACTED_ALSO = ['$..interests', '$..pastProjects', '$..schools', '$..birthday'];

/** Account names and addresses, kept joinable as pseudonyms. */
const USER_PSEUDONYMIZED = [
  '$..employeeId', '$..userPrincipalName', '$..imAddresses[*]', '$..mail', '$..otherMails[*]',
  '$..onPremisesSamAccountName', '$..onPremisesUserPrincipalName', '$..onPremisesDistinguishedName',
  '$..onPremisesImmutableId', '$..identities[*].issuerAssignedId',
];

const SMTP_ADDRESSES = pseudonymizeRegexMatches(['$..proxyAddresses[*]'], '(?i)^smtp:(.*)$');
const USER_PARAMS = ['$top', '$select', '$skiptoken', '$orderBy', '$count'];
const CONSISTENCY = ['ConsistencyLevel'];

function userTransforms(ids: 'keep' | 'reversible' | 'pseudonym'): string[] {
  return [
    SMTP_ADDRESSES,
    redact(...USER_REDACTED, ...USER_REDACTED_ALSO),
    pseudonymize(USER_PSEUDONYMIZED),
    ...(ids === 'keep' ? [] : [pseudonymize(['$..id'], { reversible: ids === 'reversible' })]),
  ];
}

export function directoryEndpoints(f: DirectoryFlags): GraphEndpoint[] {
  const users: GraphEndpoint = {
    about: 'Users: list, or one by id.',
    pathRegex: `^/v1\\.0/users(?:/${userSegment(f)})?(?:\\?[^/]*)?$`,
    params: [...USER_PARAMS, '$filter'],
    headers: CONSISTENCY,
    transforms: userTransforms(f.appIds ? 'keep' : 'reversible'),
  };
  if (!f.groups) return [users];
  return [
    users,
    {
      // Any query parameter, as psoxy: members and owners, were they expanded, are redacted whole.
      about: 'Groups: list, or one by id.',
      pathRegex: '^/v1\\.0/groups(?:/[^/?]+)?(?:\\?[^/]*)?$',
      headers: CONSISTENCY,
      transforms: [
        SMTP_ADDRESSES,
        redact('$..owners', '$..rejectedSenders', '$..acceptedSenders', '$..members', '$..membersWithLicenseErrors',
          '$..mailNickname', '$..description', '$..resourceBehaviorOptions', '$..resourceProvisioningOptions',
          '$..onPremisesSamAccountName', '$..onPremisesSecurityIdentifier', '$..onPremisesProvisioningErrors', '$..securityIdentifier'),
        // psoxy keeps a group's address beside its pseudonym (includeOriginal). Not here: the leak
        // guard (LEAK_GUARD=block by default) cannot tell a group's address from a person's and
        // would refuse every groups page; the pseudonym, in psoxy's JSON form, still joins.
        pseudonymize(['$..mail'], { encoding: 'JSON' }),
      ],
    },
    {
      about: 'Group members (also cast to a type: /members/microsoft.graph.user).',
      pathRegex: '^/v1\\.0/groups/[^/?]+/members(?:[/?].*)?$',
      params: USER_PARAMS,
      headers: CONSISTENCY,
      // Member ids are one-way pseudonyms (psoxy's choice): the users list gives the reversible ones.
      transforms: userTransforms(f.appIds ? 'keep' : 'pseudonym'),
    },
  ];
}

/**
 * Working hours and time zone; the automatic-reply texts go. `@odata.context` (it names the user's
 * id) goes too where user ids are pseudonymized, and always when `dropContext` is set: psoxy's
 * outlook-cal rules drop it in every variant, its outlook-mail rules only in `_no-app-ids`.
 */
export function mailboxSettingsEndpoint(f: Pick<DirectoryFlags, 'appIds'>, dropContext = false): GraphEndpoint {
  return {
    about: 'A user\'s mailbox settings (no query).',
    pathRegex: `^/v1\\.0/users/${userSegment(f)}/mailboxSettings$`,
    transforms: [redact('$..internalReplyMessage', '$..externalReplyMessage', ...(f.appIds && !dropContext ? [] : [ODATA_CONTEXT]))],
  };
}
