/**
 * Rules for Microsoft Teams (`msft-teams`) from one generator. psoxy's two variants differ in
 * what identifies a person: the default pseudonymizes email addresses and keeps Entra user ids;
 * `_no-userIds` pseudonymizes user ids (reversibly in the users list, so `/users/p~…` works),
 * tokenizes chat ids, the ids in paging links, and drops OData annotations.
 */
import { directoryEndpoints, userSegment } from './directory.ts';
import { ODATA_CONTEXT, PAGING_LINKS, USER_LINK, pseudonymize, redact, redactRegexMatches, rulesYaml, tokenize, type GraphEndpoint } from './graph-yaml.ts';

export interface TeamsFlags {
  /** Entra user ids pass as they are (psoxy's default); false for `_no-userIds`. */
  userIds: boolean;
}

const odata = (...names: string[]) => names.map((n) => `$..['@odata.${n}']`);

/** Message text, attachments and who is named in them. */
const MESSAGE_CONTENT = ['$..user.displayName', '$..body.content', '$..attachments', '$..mentions[*].mentionText', '$..eventDetail.teamDescription', '$..eventDetail.chatDisplayName'];
/**
 * Not in psoxy's rules: a channel post's subject and a message's summary are free text too. Any
 * non-empty text becomes "" (null stays null), so the field keeps its shape.
 */
const MESSAGE_TITLES = redactRegexMatches(['$..subject', '$..summary'], ['(?s).+']);
const CALL_RECORD = [
  '$..user.displayName', '$..reflexiveIPAddress', '$..relayIPAddress', '$..ipAddress', '$..subnet', '$..macAddress', '$..caller.name', '$..callee.name',
  '$..captureDeviceName', '$..renderDeviceName', '$..organizer_v2.id', '$..participants_v2[*].id', '$..phone', "$..['organizer_v2@odata.context']",
];
const PHONE_CALLS = ['$..value[*].userPrincipalName', '$..value[*].userDisplayName', '$..value[*].callerNumber', '$..value[*].calleeNumber'];
const MEETING = ['$..displayName', '$..subject', '$..joinInformation', '$..joinMeetingIdSettings.isPasscodeRequired', '$..joinMeetingIdSettings.passcode', '$..upn'];
const ANY_QUERY = '(?:\\?.*)?$';
const GUID = '[({]?[0-9a-f]{8}-?(?:[0-9a-f]{4}-?){3}[0-9a-f]{12}[})]?';
const ODATA_QUERY = ['$select', '$top', '$skiptoken', '$filter', '$orderby', '$count', '$expand', '$format', '$search', '$skip'];
const CHAT_LINK = '^https://graph.microsoft.com/v1.0/chats/(.*)/messages(\\?.*).*$';

export function msftTeamsRules(f: TeamsFlags): string {
  const user = userSegment({ appIds: f.userIds });
  /** Who a person is: their address (default) or their user id (`_no-userIds`). */
  const person = f.userIds ? pseudonymize(['$..emailAddress']) : pseudonymize(['$..user.id', '$..userId']);
  /** OData annotations, dropped in `_no-userIds` only. */
  const meta = (...names: string[]) => (f.userIds ? [] : odata(...names));
  const paging = f.userIds ? [] : [tokenize([PAGING_LINKS], USER_LINK)];
  const meetingIds = f.userIds ? [] : [pseudonymize(['$..identity.id']), pseudonymize(['$..user.id', '$..userId'])];
  const meeting = (about: string, tail: string): GraphEndpoint => ({
    about, pathRegex: `^/v1\\.0/users/${user}/onlineMeetings${tail}${ANY_QUERY}`, ...(f.userIds ? { params: ODATA_QUERY } : {}),
    transforms: f.userIds
      ? [redact(ODATA_CONTEXT), pseudonymize(['$..emailAddress']), redact(...MEETING)]
      : [pseudonymize(['$..emailAddress']), ...meetingIds, redact(...MEETING, ...odata('context', 'type')), ...paging],
  });
  const channelMessages = (about: string, tail: string, params: string[]): GraphEndpoint => ({
    about, pathRegex: `^/v1\\.0/teams/[^/?]+/channels/[^/?]+/messages${tail}${ANY_QUERY}`, params,
    transforms: [person, redact(...MESSAGE_CONTENT, ...meta('context', 'count')), MESSAGE_TITLES],
  });
  return rulesYaml([
    {
      about: 'Teams in the tenant.', pathRegex: `^/v1\\.0/teams${ANY_QUERY}`, params: ['$select', '$top', '$skiptoken', '$filter', '$count'],
      transforms: [person, redact('$..displayName', '$..description', ...meta('context', 'id', 'type', 'count'))],
    },
    {
      about: 'A team\'s channels, shared ones included.', pathRegex: `^/v1\\.0/teams/[^/?]+/allChannels${ANY_QUERY}`, params: ['$select', '$filter'],
      transforms: [person, redact('$..displayName', '$..description', ...meta('context', 'id', 'type', 'count'))],
    },
    {
      // `members[*].email` ($expand=members) is not in psoxy's rules: the address would pass.
      about: 'A user\'s chats.', pathRegex: `^/v1\\.0/users/${user}/chats${ANY_QUERY}`, headers: ['ConsistencyLevel'],
      ...(f.userIds ? { params: ['$select', '$top', '$skiptoken', '$filter', '$orderby', '$expand'] } : {}),
      transforms: f.userIds
        ? [pseudonymize(['$..emailAddress', '$..members[*].email']), redact('$..displayName', '$..description'),
          redact('$..topic', "$..['lastMessagePreview@odata.context']"), redact(...MESSAGE_CONTENT)]
        : [pseudonymize(['$..emailAddress', '$..members[*].email']), tokenize(['$..id']),
          redact('$..topic', "$..['lastMessagePreview@odata.context']", ...odata('context', 'count'), '$..user.id', '$..userId'),
          ...paging, redact(...MESSAGE_CONTENT)],
    },
    channelMessages('A channel\'s messages.', '', ['$select', '$top', '$skiptoken', '$expand']),
    channelMessages('Changes to a channel\'s messages.', '/delta', ['$select', '$top', '$skiptoken', '$expand', '$deltatoken', '$filter']),
    {
      about: 'A chat\'s messages.', pathRegex: `^/v1\\.0/chats/[^/?]+/messages${ANY_QUERY}`, ...(f.userIds ? { params: ODATA_QUERY } : {}),
      transforms: f.userIds
        ? [pseudonymize(['$..emailAddress']), redact(...MESSAGE_CONTENT), MESSAGE_TITLES]
        : [pseudonymize(['$..emailAddress']), redact('$..displayName', '$..description'), redact(...MESSAGE_CONTENT), person,
          tokenize(['$..chatId']), tokenize([PAGING_LINKS], CHAT_LINK), redact(...odata('context', 'count')), MESSAGE_TITLES],
    },
    {
      about: 'A call.', pathRegex: `^/v1\\.0/communications/calls/[^/?]+${ANY_QUERY}`, params: ['$select', '$top', '$expand'],
      transforms: [person, redact('$..displayName', ...meta('context', 'count', 'type'))],
    },
    {
      // psoxy's pattern admits only [A-z0-9 $=?()] after the path, which blocks a $filter on
      // dates (Graph's documented use); the parameters below are the limit here.
      about: 'Call records: the list, or one by id.', pathRegex: `^/v1\\.0/communications/callRecords(?:/${GUID})?${ANY_QUERY}`, params: ['$select', '$expand', '$filter'],
      transforms: [person, redact(...CALL_RECORD, ...meta('context', 'type'))],
    },
    {
      about: 'Direct Routing calls in a period.', pathRegex: `^/v1\\.0/communications/callRecords/getDirectRoutingCalls\\(fromDateTime=[^,/]+,toDateTime=[^)/]+\\)${ANY_QUERY}`, params: ['$skip'],
      transforms: [person, redact(...PHONE_CALLS, ...meta('context', 'type', 'count'))],
    },
    {
      about: 'PSTN calls in a period.', pathRegex: `^/v1\\.0/communications/callRecords/getPstnCalls\\(fromDateTime=[^,/]+,toDateTime=[^)/]+\\)${ANY_QUERY}`, params: ['$skip'],
      transforms: [person, tokenize(['$..callId']), redact(...PHONE_CALLS, ...meta('context', 'type', 'count'))],
    },
    meeting('One attendance report of a meeting.', '/[^/?]+/attendanceReports/[^/?]+'),
    meeting('A meeting\'s attendance reports.', '/[^/?]+/attendanceReports'),
    meeting('A user\'s online meetings (found by $filter on JoinWebUrl).', ''),
    ...directoryEndpoints({ appIds: f.userIds, groups: false }),
  ]);
}
