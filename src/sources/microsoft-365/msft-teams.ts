/** Microsoft Teams (`msft-teams`): teams, channels, chats and their messages, calls and online meetings. */
import type { Connector } from '../catalogue/connector.ts';
import type { FakeOrg, FakePerson } from '../catalogue/fake-org.ts';
import { EXAMPLE_USER_ID, GRAPH_SECRETS, GRAPH_SENSITIVE, GRAPH_SETTINGS, graphSetup, guid, odataContext } from './common.ts';
import { msftTeamsRules } from './msft-teams-rules.ts';

const TEAM_ID = '172b0cce-e65d-44ce-9a49-91d9f2e8493a';
const CHANNEL_ID = '19:4a95f7d8db4c4e7fae857bcebe0623e6@thread.tacv2';
const CHAT_ID = '19:2da4c29f6d7041eca70b638b43d45437@thread.v2';
const CALL_RECORD_ID = '2f1a1100-b174-40a0-aba7-0b405e01ed92';
const TENANT_ID = 'dcd219dd-bc68-4b9b-bf0b-4a33a796be35';

/** Graph's identitySet for a user. */
const identity = (org: FakeOrg, p: FakePerson) => ({ application: null, device: null, user: { '@odata.type': '#microsoft.graph.teamworkUserIdentity', id: guid(org), displayName: p.displayName, userIdentityType: 'aadUser', tenantId: TENANT_ID } });

function teams(org: FakeOrg) {
  return {
    '@odata.context': odataContext('teams'), '@odata.count': 2,
    value: ['Platform', 'Recruiting'].map((name) => {
      const description = `${name} team run by ${org.pick(org.people).displayName}`;
      org.extraPersonal.push(description);
      return { id: guid(org), createdDateTime: org.isoTime(700), displayName: name, description, internalId: `19:${org.chars(32)}@thread.tacv2`, visibility: 'private', isArchived: false, tenantId: TENANT_ID, webUrl: null };
    }),
  };
}

function channels(org: FakeOrg) {
  return {
    '@odata.context': odataContext(`teams('${TEAM_ID}')/allChannels`), '@odata.count': 2,
    value: ['General', 'Offsite planning'].map((name) => {
      const description = `Where ${org.pick(org.people).displayName} posts ${name.toLowerCase()} notes`;
      org.extraPersonal.push(description);
      return { id: `19:${org.chars(32)}@thread.tacv2`, createdDateTime: org.isoTime(400), displayName: name, description, email: '', membershipType: 'standard', tenantId: TENANT_ID, isArchived: false };
    }),
  };
}

function message(org: FakeOrg, where: { chatId?: string; channel?: boolean }) {
  const [from, mentioned, reacting] = [org.pick(org.people), org.pick(org.people), org.pick(org.people)];
  const text = `<p><at id="0">${mentioned.displayName}</at> can you send ${org.pick(org.people).displayName} the contract?</p>`;
  const subject = where.channel ? `Contract for ${mentioned.displayName}` : null;
  org.extraPersonal.push(text);
  if (subject) org.extraPersonal.push(subject);
  const created = org.isoTime(10);
  return {
    id: String(org.int(1e12, 9e12)), replyToId: null, etag: String(org.int(1e12, 9e12)), messageType: 'message',
    createdDateTime: created, lastModifiedDateTime: created, lastEditedDateTime: null, deletedDateTime: null,
    subject, summary: null, chatId: where.chatId ?? null, importance: 'normal', locale: 'en-us', webUrl: null,
    channelIdentity: where.channel ? { teamId: TEAM_ID, channelId: CHANNEL_ID } : null,
    policyViolation: null, eventDetail: null,
    from: identity(org, from),
    body: { contentType: 'html', content: text },
    attachments: [{ id: guid(org), contentType: 'reference', contentUrl: `https://${org.domain.split('.')[0]}.sharepoint.com/sites/hr/${mentioned.lastName}-contract.docx`, name: `${mentioned.displayName} contract.docx` }],
    mentions: [{ id: 0, mentionText: mentioned.displayName, mentioned: identity(org, mentioned) }],
    reactions: [{ reactionType: 'like', createdDateTime: created, user: identity(org, reacting) }],
  };
}

function chats(org: FakeOrg) {
  return {
    '@odata.context': odataContext(`users('${EXAMPLE_USER_ID}')/chats(members())`), '@odata.count': 2,
    value: [0, 1].map(() => {
      const [a, b] = [org.pick(org.people), org.pick(org.people)];
      const topic = `${a.displayName} and ${b.displayName}: reorg`;
      org.extraPersonal.push(topic);
      return {
        id: `19:${org.chars(32)}@thread.v2`, topic, createdDateTime: org.isoTime(60), lastUpdatedDateTime: org.isoTime(5), chatType: 'group',
        webUrl: `https://teams.microsoft.com/l/chat/19%3A${org.chars(32)}%40thread.v2/0?tenantId=${TENANT_ID}`, tenantId: TENANT_ID, onlineMeetingInfo: null,
        viewpoint: { isHidden: false, lastMessageReadDateTime: org.isoTime(5) },
        'members@odata.context': odataContext(`users('${EXAMPLE_USER_ID}')/chats('…')/members`),
        members: [a, b].map((p) => ({ '@odata.type': '#microsoft.graph.aadUserConversationMember', id: org.chars(60), roles: ['owner'], displayName: p.displayName, visibleHistoryStartDateTime: '0001-01-01T00:00:00Z', userId: guid(org), email: p.email, tenantId: TENANT_ID })),
      };
    }),
  };
}

function callRecord(org: FakeOrg) {
  const [organizer, guest] = [org.pick(org.people), org.pick(org.people)];
  const start = org.isoTime(7);
  return {
    '@odata.context': odataContext('communications/callRecords/$entity'),
    version: 1, type: 'groupCall', modalities: ['audio', 'video'], lastModifiedDateTime: start, startDateTime: start, endDateTime: start, id: CALL_RECORD_ID,
    joinWebUrl: `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${org.chars(40)}%40thread.v2/0`,
    organizer: { user: { id: guid(org), displayName: organizer.displayName, tenantId: TENANT_ID } },
    participants: [{ user: { id: guid(org), displayName: organizer.displayName, tenantId: TENANT_ID } }, { phone: { id: guest.phone, displayName: guest.displayName, tenantId: null } }],
    sessions: [{
      id: guid(org), modalities: ['audio'], startDateTime: start, endDateTime: start,
      caller: { '@odata.type': '#microsoft.graph.callRecords.participantEndpoint', name: `${organizer.firstName}'s laptop`, identity: { user: { id: guid(org), displayName: organizer.displayName } },
        userAgent: { headerValue: 'RTCC/7.0.0.0 UCWA/7.0.0.0 AndroidLync/6.25.0.27', platform: 'android', productFamily: 'skypeForBusiness' } },
      callee: { '@odata.type': '#microsoft.graph.callRecords.participantEndpoint', name: guest.displayName, identity: { phone: { id: guest.phone, displayName: guest.displayName } } },
      segments: [{ id: guid(org), startDateTime: start, endDateTime: start, media: [{ label: 'main-audio', callerNetwork: { ipAddress: `10.${org.int(0, 255)}.${org.int(0, 255)}.${org.int(1, 254)}`, subnet: '10.0.0.0', macAddress: '00-15-5D-3A-1B-2C', reflexiveIPAddress: `203.0.113.${org.int(1, 254)}` }, callerDevice: { captureDeviceName: `${organizer.firstName}'s headset`, renderDeviceName: `${organizer.firstName}'s headset` } }] }],
    }],
  };
}

function pstnCalls(org: FakeOrg) {
  return {
    '@odata.context': odataContext('Collection(microsoft.graph.callRecords.pstnCallLogRow)'), '@odata.count': 2,
    value: org.people.slice(0, 2).map((p) => {
      const start = org.isoTime(30);
      return {
        id: guid(org), callId: `${org.int(1000000, 9999999)}-${org.chars(8)}`, userId: guid(org), userPrincipalName: p.email, userDisplayName: p.displayName,
        startDateTime: start, endDateTime: start, duration: org.int(30, 1800), charge: 0, callType: 'user_out', currency: 'USD',
        calleeNumber: org.pick(org.people).phone, usageCountryCode: 'US', tenantCountryCode: 'US', connectionCharge: 0, callerNumber: p.phone,
        destinationContext: 'Domestic', destinationName: 'United States', conferenceId: null, licenseCapability: 'MCOPSTNU', inventoryType: 'Subscriber',
      };
    }),
  };
}

export const MSFT_TEAMS: Connector = {
  id: 'msft-teams',
  name: 'Microsoft Teams',
  family: 'microsoft-365',
  settings: GRAPH_SETTINGS,
  secrets: GRAPH_SECRETS,
  sensitive: GRAPH_SENSITIVE,
  setup: graphSetup(
    ['User.Read.All', 'Team.ReadBasic.All', 'Channel.ReadBasic.All', 'Chat.Read.All', 'ChannelMessage.Read.All', 'CallRecords.Read.All', 'OnlineMeetings.Read.All', 'OnlineMeetingArtifact.Read.All'],
    'Online meetings and their attendance reports also need a Teams **application access policy** for the app: as a Teams Administrator, in PowerShell with the MicrosoftTeams module, '
      + '`Connect-MicrosoftTeams`, then `New-CsApplicationAccessPolicy -Identity Teams-Policy-For-Worklytics -AppIds "<CLIENT_ID>"` and '
      + '`Grant-CsApplicationAccessPolicy -PolicyName Teams-Policy-For-Worklytics -Global` (Microsoft: "Configure application access to online meetings").',
  ),
  caveats: 'Chat and channel messages through application permissions are protected APIs: Microsoft may require requesting access and, for some uses, metered billing. PSTN and Direct Routing call logs need Teams Phone; attendance reports need meetings organized with Teams.',
  sanitizes: 'Teams and channels lose names and descriptions; messages lose their text, attachments, mentions\' text and names, and keep only an empty subject or summary; chats lose topics; call records lose device, network and phone details; PSTN logs lose numbers and names; meetings lose subjects, join details and passcodes. The default pseudonymizes email addresses and keeps user ids; `_no-userIds` pseudonymizes user ids (reversibly in the users list) and tokenizes chat ids.',
  rules: { '': msftTeamsRules({ userIds: true }), '_no-userIds': msftTeamsRules({ userIds: false }) },
  examples: [
    { name: 'List teams', path: '/v1.0/teams', response: teams },
    { name: 'List a team\'s channels', path: `/v1.0/teams/${TEAM_ID}/allChannels`, response: channels },
    { name: 'List a user\'s chats', path: `/v1.0/users/${EXAMPLE_USER_ID}/chats?$expand=members`, response: chats },
    { name: 'List a channel\'s messages', path: `/v1.0/teams/${TEAM_ID}/channels/${CHANNEL_ID}/messages`, response: (org) => ({ '@odata.context': odataContext(`teams('${TEAM_ID}')/channels('${CHANNEL_ID}')/messages`), '@odata.count': 2, value: [message(org, { channel: true }), message(org, { channel: true })] }) },
    { name: 'List a chat\'s messages', path: `/v1.0/chats/${CHAT_ID}/messages`, response: (org) => ({ '@odata.context': odataContext(`chats('${CHAT_ID}')/messages`), '@odata.count': 2, value: [message(org, { chatId: CHAT_ID }), message(org, { chatId: CHAT_ID })] }) },
    { name: 'Get a call record', path: `/v1.0/communications/callRecords/${CALL_RECORD_ID}?$expand=sessions($expand=segments)`, response: callRecord },
    { name: 'List PSTN calls', path: '/v1.0/communications/callRecords/getPstnCalls(fromDateTime=2026-07-01,toDateTime=2026-09-30)', response: pstnCalls },
  ],
  conformance: { '': 'microsoft-365/msft-teams', '_no-userIds': 'microsoft-365/msft-teams_no-userIds' },
};
