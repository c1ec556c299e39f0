/** Outlook Calendar (`outlook-cal`): users' events and calendar views, with the directory to map them. */
import type { Connector } from '../catalogue/connector.ts';
import type { FakeOrg } from '../catalogue/fake-org.ts';
import { directoryEndpoints, mailboxSettingsEndpoint, userSegment, type DirectoryFlags } from './directory.ts';
import { EXAMPLE_USER_ID, GRAPH_SECRETS, GRAPH_SENSITIVE, GRAPH_SETTINGS, emailAddress, graphSetup, mailboxSettingsResponse, odataContext, outlookRules } from './common.ts';
import { DIRECTORY_EXAMPLES } from './entra-id.ts';
import {
  ODATA_CONTEXT, PAGING_LINKS, USER_LINK, filterTokenByRegex, pseudonymize, redact, redactExceptPhrases, redactRegexMatches, rulesYaml, tokenize,
} from './graph-yaml.ts';

/**
 * Subject words that say what kind of meeting it is; everything else in a subject goes. The
 * output lists the phrases found in this order, so the order is psoxy's.
 */
const SUBJECT_PHRASES = [
  'Focus Time', 'Focus', 'No Meetings', 'No Meeting', 'no mtg', 'Prep', 'OOO', 'Out of Office', 'Out of the Office',
  'call', 'brainstorm', 'brainstorming', 'brain storm', 'check in', 'check-in', 'checkin', 'coffee', 'food',
  'happy hour', 'lunch', 'office hours', 'onsite', 'on-site', 'social', 'stand up', 'stand-up', 'standup',
  'team building', 'teambuilding', 'daily', 'bi-weekly', 'biweekly', 'weekly', 'monthly', 'quarterly',
  '1:1', '1-on-1', 'one-on-one', 'all-hands', 'all hands', 'allhands', 'team meeting', 'decision making', 'decision',
  'hand off', 'hand-off', 'handoff', 'handover', 'information sharing', 'problem solving', 'retro', 'review', 'sprint',
];

/** Where a meeting happens and its join links: passcodes go; the body keeps only Zoom links. */
const LOCATION_AND_LINKS = [
  '$..location.uniqueId', '$..locations[*].uniqueId', '$..location.displayName', '$..locations[*].displayName',
  '$..location.locationUri', '$..locations[*].locationUri', '$..onlineMeeting.joinUrl', '$..onlineMeetingUrl',
  '$..body.content', '$..bodyPreview',
];

export function outlookCalRules(f: DirectoryFlags): string {
  const user = userSegment(f);
  return rulesYaml([
    ...directoryEndpoints(f),
    mailboxSettingsEndpoint(f, true),
    {
      // psoxy allows anything under events (`events.*`), attachments included, whose names and
      // contents no transform touches; here only an event, its instances and the lists.
      about: 'Events: a user\'s (or one calendar\'s) events, one event, its instances; the calendar view.',
      pathRegex: `^/v1\\.0/users/${user}/(?:(?:calendars/[^/?]+/)?events(?:/[^/?]+(?:/instances)?)?(?:\\?.*)?|calendar/calendarView(?:\\?[^/]*)?)$`,
      transforms: [
        redactExceptPhrases(['$..subject'], SUBJECT_PHRASES),
        // `attachments` ($expand) is not in psoxy's list: their names and contents would pass.
        redact('$..reminderMinutesBeforeStart', '$..isReminderOn', '$..allowNewTimeProposals', '$..transactionId', '$..emailAddress.name', '$..attachments',
          '$..extensions', '$..multiValueExtendedProperties', '$..singleValueExtendedProperties',
          '$..location.coordinates', '$..locations[*].coordinates', '$..location.address', '$..locations[*].address'),
        pseudonymize(['$..emailAddress.address']),
        redactRegexMatches(LOCATION_AND_LINKS, ['(?i)pwd=[^&]*']),
        filterTokenByRegex(['$..body.content', '$..bodyPreview'], '\\s+', ['https://[^.]+\\.zoom\\.us/.*']),
        ...(f.appIds ? [] : [
          tokenize([PAGING_LINKS], USER_LINK),
          redact(ODATA_CONTEXT, "$..['calendar@odata.associationLink', 'calendar@odata.navigationLink']"),
        ]),
      ],
    },
  ]);
}

function calendarView(org: FakeOrg) {
  const rooms = ['Conference Room 4B', 'Harbor Room', 'Atrium'];
  const subjects = ['{a} / {b} 1:1', 'Weekly sync: {a} hiring plan', 'Lunch with {b}', 'Quarterly review of {a}\'s targets'];
  return {
    '@odata.context': odataContext(`users('${EXAMPLE_USER_ID}')/calendar/calendarView`),
    value: subjects.map((template, n) => {
      const [organizer, a, b] = [org.pick(org.people), org.pick(org.people), org.pick(org.people)];
      const subject = template.replace('{a}', a.displayName).replace('{b}', b.displayName);
      const text = `Agenda for ${a.displayName}: the salary review and ${b.displayName}'s visa.`;
      const zoom = `https://acme.zoom.us/j/${org.int(1e9, 9e9)}?pwd=${org.chars(24)}`;
      const street = `${org.int(10, 999)} ${org.pick(['Harbor', 'Elm', 'Market'])} Street`;
      org.extraPersonal.push(text, street);
      const start = org.isoTime(14);
      const location = { displayName: rooms[n % rooms.length], locationType: 'default', uniqueId: rooms[n % rooms.length], uniqueIdType: 'private',
        address: { street, city: 'Springfield', postalCode: '12345', countryOrRegion: 'US' }, coordinates: { latitude: 47.6, longitude: -122.3 } };
      return {
        '@odata.etag': `W/"${org.chars(24)}=="`,
        id: org.chars(140),
        createdDateTime: org.isoTime(40), lastModifiedDateTime: org.isoTime(20),
        changeKey: org.chars(28), categories: [], transactionId: org.chars(20), originalStartTimeZone: 'Pacific Standard Time', originalEndTimeZone: 'Pacific Standard Time',
        iCalUId: org.chars(96, '0123456789ABCDEF'), reminderMinutesBeforeStart: 15, isReminderOn: true, hasAttachments: false,
        subject, bodyPreview: `${text} ${zoom}`, importance: 'normal', sensitivity: 'normal', isAllDay: false, isCancelled: false,
        isOrganizer: n === 0, responseRequested: true, seriesMasterId: null, showAs: 'busy', type: 'singleInstance',
        webLink: `https://outlook.office365.com/owa/?itemid=${org.chars(60)}&exvsurl=1&path=/calendar/item`,
        onlineMeetingUrl: null, isOnlineMeeting: n % 2 === 0, onlineMeetingProvider: n % 2 === 0 ? 'teamsForBusiness' : 'unknown', allowNewTimeProposals: true,
        responseStatus: { response: 'accepted', time: org.isoTime(30) },
        body: { contentType: 'html', content: `<html><body><p>${text}</p><p>Join: ${zoom}</p></body></html>` },
        start: { dateTime: start.replace('Z', '.0000000'), timeZone: 'UTC' },
        end: { dateTime: start.replace('Z', '.0000000'), timeZone: 'UTC' },
        location, locations: [location],
        attendees: [a, b].map((p) => ({ type: 'required', status: { response: 'accepted', time: org.isoTime(30) }, ...emailAddress(p) })),
        organizer: emailAddress(organizer),
        onlineMeeting: n % 2 === 0 ? { joinUrl: `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${org.chars(40)}%40thread.v2/0` } : null,
        'calendar@odata.associationLink': `https://graph.microsoft.com/v1.0/users('${EXAMPLE_USER_ID}')/calendars('${org.chars(40)}')/$ref`,
        'calendar@odata.navigationLink': `https://graph.microsoft.com/v1.0/users('${EXAMPLE_USER_ID}')/calendars('${org.chars(40)}')`,
      };
    }),
  };
}

const [listUsers, , listGroups, listMembers] = DIRECTORY_EXAMPLES;

export const OUTLOOK_CAL: Connector = {
  id: 'outlook-cal',
  name: 'Outlook Calendar',
  family: 'microsoft-365',
  settings: GRAPH_SETTINGS,
  secrets: GRAPH_SECRETS,
  sensitive: GRAPH_SENSITIVE,
  setup: graphSetup(['Calendars.Read', 'MailboxSettings.Read', 'Group.Read.All', 'User.Read.All']),
  caveats: 'Exchange Online mailboxes (a Microsoft 365 or Exchange Online plan); `Calendars.Read` as an application permission reads every mailbox in the tenant unless an Exchange application access policy narrows it.',
  sanitizes: 'Event subjects keep only meeting-kind phrases (`1:1`, `weekly`, `Focus Time`…); bodies keep only Zoom links; passcodes leave join links; attendee and organizer addresses become pseudonyms and their names go; locations lose address and coordinates; reminders and extensions go. Users and groups as in `msft-entra-id`; automatic-reply texts go. `_no-app-ids` pseudonymizes Entra ids and the user ids in paging links; `_no-groups` drops the group endpoints.',
  ...outlookRules('outlook-cal', outlookCalRules),
  examples: [
    listUsers,
    { name: 'List a user\'s calendar view', path: `/v1.0/users/${EXAMPLE_USER_ID}/calendar/calendarView?startDateTime=2026-04-01T00:00:00Z&endDateTime=2026-10-01T00:00:00Z`, response: calendarView },
    { name: 'List a user\'s events', path: `/v1.0/users/${EXAMPLE_USER_ID}/events`, response: calendarView },
    { name: 'Get a user\'s mailbox settings', path: `/v1.0/users/${EXAMPLE_USER_ID}/mailboxSettings`, response: mailboxSettingsResponse },
    listGroups,
    listMembers,
  ],
};
