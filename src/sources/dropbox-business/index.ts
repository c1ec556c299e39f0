/** The Dropbox Business connector (psoxy `SOURCE=dropbox-business`, deprecated in psoxy): team members and the team activity log. */
import type { Connector } from '../catalogue/connector.ts';
import type { FakeOrg, FakePerson } from '../catalogue/fake-org.ts';
import { DROPBOX_BUSINESS_RULES_YAML } from './rules.ts';

const accountId = (p: FakePerson) => `dbid:AA${p.id}`;
const memberId = (p: FakePerson) => `dbmid:AA${p.id.split('').reverse().join('')}`;

function profile(org: FakeOrg, p: FakePerson) {
  const personal = `${p.firstName.toLowerCase()}${org.int(10, 99)}@gmail.com`;
  org.extraPersonal.push(personal);
  return {
    team_member_id: memberId(p), account_id: accountId(p), email: p.email, email_verified: true,
    secondary_emails: [{ email: personal, is_verified: false }],
    status: { '.tag': 'active' },
    name: { given_name: p.firstName, surname: p.lastName, familiar_name: p.firstName, display_name: p.displayName, abbreviated_name: `${p.firstName[0]}${p.lastName[0]}` },
    membership_type: { '.tag': 'full' }, joined_on: org.isoTime(365), groups: ['g:1a2b3c4d5e6f70000000000000001'],
    member_folder_id: String(org.int(1000000, 9999999)),
    persistent_id: `okta|${p.email}`,
    profile_photo_url: `https://dl-web.dropbox.com/account_photo/get/${accountId(p)}?size=128x128`,
  };
}

const user = (p: FakePerson) => ({ '.tag': 'team_member', account_id: accountId(p), display_name: p.displayName, email: p.email, team_member_id: memberId(p) });

export const DROPBOX_BUSINESS: Connector = {
  id: 'dropbox-business',
  name: 'Dropbox Business',
  family: 'dropbox-business',
  settings: {
    TARGET_HOST: 'api.dropboxapi.com',
    SOURCE_AUTH_STRATEGY_IDENTIFIER: 'oauth2_refresh_token',
    GRANT_TYPE: 'refresh_token',
    REFRESH_ENDPOINT: 'https://api.dropboxapi.com/oauth2/token',
  },
  secrets: ['CLIENT_ID', 'CLIENT_SECRET', 'REFRESH_TOKEN'],
  sensitive: ['CLIENT_ID', 'CLIENT_SECRET', 'REFRESH_TOKEN', 'ACCESS_TOKEN'], // psoxy flags CLIENT_ID sensitive too
  setup: [
    'In the [Dropbox App Console](https://www.dropbox.com/developers/apps) create a *Scoped access* app with *Full Dropbox* (team) access,',
    'and on its Permissions tab grant `members.read`, `groups.read` and `events.read` (the console adds what they depend on, such as',
    '`account_info.read`). A team admin then authorizes it once for an offline token: open',
    '`https://www.dropbox.com/oauth2/authorize?client_id=<App key>&token_access_type=offline&response_type=code`, and exchange the code with',
    '`curl https://api.dropboxapi.com/oauth2/token -d code=<code> -d grant_type=authorization_code -u <App key>:<App secret>`.',
    'Fill `CLIENT_ID` with the App key, `CLIENT_SECRET` with the App secret and `REFRESH_TOKEN` with the `refresh_token` of that answer.',
  ].join('\n'),
  caveats: 'Deprecated in psoxy (v0.6.9 still ships it; new deployments should not rely on it). The team activity log and team member APIs need a Dropbox team plan (Business, Advanced or Enterprise); the app must be authorized by a team admin.',
  sanitizes: 'Members\' emails, secondary emails, account and persistent ids become tokens, their names and photos are redacted; in the activity log every email and account id and the IP address become tokens and people\'s and files\' names and paths are redacted; file listings lose names, paths and hashes.',
  rules: { '': DROPBOX_BUSINESS_RULES_YAML },
  conformance: { '': 'dropbox-business/dropbox-business' },
  examples: [
    { name: 'team/members/list_v2', method: 'POST', path: '/2/team/members/list_v2', body: { limit: 100, include_removed: false },
      response: (org) => ({ members: org.people.map((p) => ({ profile: profile(org, p), roles: [{ role_id: 'pid_dbtmr:1', name: 'Team admin', description: 'Can manage the team' }] })), cursor: 'AAZkR6v0Wt1', has_more: false }) },
    { name: 'team/groups/members/list', method: 'POST', path: '/2/team/groups/members/list', body: { group: { '.tag': 'group_id', group_id: 'g:1a2b3c4d5e6f70000000000000001' }, limit: 100 },
      response: (org) => ({ members: org.people.slice(0, 3).map((p) => ({ profile: profile(org, p), access_type: { '.tag': 'member' } })), cursor: 'AAZkR6v0Wt2', has_more: false }) },
    { name: 'team_log/get_events', method: 'POST', path: '/2/team_log/get_events', body: { limit: 100, category: 'sharing' },
      response: (org) => {
        const [actor, owner, guest] = [org.pick(org.people), org.pick(org.people), org.pick(org.people)];
        const file = `${owner.lastName} salary review 2026.xlsx`;
        const ip = `203.0.113.${org.int(2, 254)}`;
        org.extraPersonal.push(file, ip);
        return {
          events: [{
            timestamp: org.isoTime(), event_category: { '.tag': 'sharing' },
            event_type: { '.tag': 'shared_content_download', description: '(sharing) Downloaded shared file/folder' },
            actor: { '.tag': 'user', user: user(actor) },
            context: user(actor),
            origin: { geo_location: { city: 'Lisbon', region: 'Lisboa', country: 'PT', ip_address: ip }, access_method: { '.tag': 'end_user', end_user: { '.tag': 'web', session_id: 'dbwsid:1234567890' } } },
            involve_non_team_member: false,
            participants: [{ '.tag': 'user', user: user(guest) }],
            assets: [{ '.tag': 'file', display_name: file, file_id: 'id:a4ayc_80_OEAAAAAAAAAXw', path: { contextual: `/HR/${file}`, namespace_relative: { ns_id: '1234', relative_path: `/HR/${file}`, is_shared_namespace: true } } }],
            details: { '.tag': 'shared_content_download_details', shared_content_link: 'https://www.dropbox.com/scl/fi/abc', shared_content_owner: user(owner), shared_content_access_level: { '.tag': 'viewer' } },
          }],
          cursor: 'ZtkX9_EHj3x7PMkVuFIhwKYXEpwpLwyxp9vMKomUhllil9q7eWiAu', has_more: false,
        };
      } },
  ],
};

export const DROPBOX_BUSINESS_CONNECTORS: readonly Connector[] = [DROPBOX_BUSINESS];
