/**
 * Google Calendar (psoxy `SOURCE=gcal`): calendars, the calendar list, settings and events of the
 * impersonated user, read with `calendar.readonly`. Responses shaped after the Calendar API v3
 * reference (Events, Calendars, CalendarList, Settings resources).
 */
import { person, type FakeOrg, type FakePerson, personalText } from '../catalogue/fake-org.ts';
import { workspaceConnector } from './workspace.ts';
import { under, yamlList } from './yaml.ts';

/**
 * Words an event title may keep (everything else in it goes): psoxy's list, in psoxy's order, since
 * the kept phrases are joined in list order (`Call,Check-In`).
 */
const TITLE_PHRASES = [
  'Focus Time', 'Focus', 'No Meetings', 'No Meeting', 'no mtg', 'Prep', 'OOO', 'Out of Office', 'Out of the Office',
  'call', 'brainstorm', 'brainstorming', 'brain storm', 'check in', 'check-in', 'checkin', 'coffee', 'food', 'happy hour',
  'lunch', 'office hours', 'onsite', 'on-site', 'social', 'stand up', 'stand-up', 'standup', 'team building', 'teambuilding',
  'daily', 'bi-weekly', 'biweekly', 'weekly', 'monthly', 'quarterly', '1:1', '1-on-1', 'one-on-one', 'all-hands', 'all hands',
  'allhands', 'team meeting', 'decision making', 'decision', 'hand off', 'hand-off', 'handoff', 'handover',
  'information sharing', 'problem solving', 'retro', 'review', 'sprint',
];

/** Meeting links Worklytics reads from descriptions: Zoom's, with any passcode cut out. */
const ZOOM_LINK = 'https://[^.]+\\.zoom\\.us/.*';
const PASSCODE_IN_LINK = '(?i)pwd=[^&]*';

/** Transforms of one event, found at `e` (`$` for events.get, `$.items[*]` for events.list). */
function eventTransforms(e: string): string {
  return `
      - !<pseudonymize>
        encoding: URL_SAFE_TOKEN
        jsonPaths: ["$..email"]
      - !<redact>
        jsonPaths: ${yamlList([
          '$.summary', '$..displayName', '$..meetingCreatedBy',
          ...under(e, ['extendedProperties', 'conferenceData.notes', "conferenceData.entryPoints[*]['accessCode','password','passcode','pin']"]),
          // Beyond psoxy's rules: free text people write on an event (RSVP notes, auto-decline
          // messages, their own working-location labels) and attached file names.
          ...under(e, ['attendees[*].comment', 'attachments[*].title', 'outOfOfficeProperties.autoDeclineMessage',
            'focusTimeProperties.declineMessage', 'workingLocationProperties.customLocation.label']),
          // A dial-in number is no one's, but the leak guard cannot tell it from a person's phone.
          ...under(e, ["conferenceData.entryPoints[?(@.entryPointType == 'phone')].label"]),
        ])}
      - !<filterTokenByRegex>
        jsonPaths: ${yamlList(under(e, ['description']))}
        delimiter: "\\\\s+"
        filters: ${yamlList([ZOOM_LINK])}
      - !<redactRegexMatches>
        jsonPaths: ${yamlList(under(e, ['description', 'location', 'conferenceData.entryPoints[*].uri']))}
        redactions: ${yamlList([PASSCODE_IN_LINK])}`;
}

// Query parameters are not restricted: psoxy's rules allow any, and its cases send unknown ones.
const CALENDAR_RULES_YAML = `
endpoints:
  # calendars.get: the id (the owner's email for a primary calendar) becomes a token. Beyond
  # psoxy's rules, the owner-written description and location go too.
  - pathTemplate: "/calendar/v3/calendars/{calendarId}"
    allowedMethods: [GET, HEAD]
    transforms:
      - !<pseudonymize>
        encoding: URL_SAFE_TOKEN
        jsonPaths: ["$.id"]
      - !<redact>
        jsonPaths: ["$.summary", "$.description", "$.location"]

  # events.list: the calendar's own summary (its owner's email) goes; each title keeps only the
  # listed phrases.
  - pathTemplate: "/calendar/v3/calendars/{calendarId}/events"
    allowedMethods: [GET, HEAD]
    transforms:${eventTransforms('$.items[*]')}
      - !<redactExceptPhrases>
        jsonPaths: ["$.items[*].summary"]
        allowedPhrases: ${yamlList(TITLE_PHRASES)}

  # events.get: the title goes entirely. psoxy's rules name a phrase filter here too, on
  # $.items[*].summary, which a single event never has; it never ran, so it is left out.
  - pathTemplate: "/calendar/v3/calendars/{calendarId}/events/{eventId}"
    allowedMethods: [GET, HEAD]
    transforms:${eventTransforms('$')}

  # settings.list: time zone, locale, working-week preferences; nothing personal.
  - pathTemplate: "/calendar/v3/users/{userId}/settings"
    allowedMethods: [GET, HEAD]

  # calendarList.list: calendar ids (emails, group calendars) become reversible tokens, so
  # Worklytics can ask for their events; names keep only the word "Transferred".
  - pathTemplate: "/calendar/v3/users/{userId}/calendarList"
    allowedMethods: [GET, HEAD]
    transforms:
      - !<filterTokenByRegex>
        jsonPaths: ["$.items[*].summaryOverride", "$.items[*].summary"]
        delimiter: "\\\\s+"
        filters: ["Transferred"]
      - !<pseudonymize>
        encoding: URL_SAFE_TOKEN
        includeReversible: true
        jsonPaths: ["$.items[*].id"]
`;

const EVENT_ID = 'k3v9c2d8h1m4q7r0t5w8y2b6n9';
/**
 * A random event id in Google's base32hex alphabet, a digit every fifth character: its iCalUID
 * then always reads as generated to the leak guard, which a draw of mostly letters did not.
 */
const eventId = (org: FakeOrg) => Array.from({ length: 26 }, (_, i) => org.chars(1, i % 5 === 4 ? '0123456789' : 'abcdefghijklmnopqrstuv')).join('');

/** The Calendar UI link: Google encodes base64("<event id> <calendar email>") in `eid`. */
const htmlLink = (id: string, calendar: string) => `https://www.google.com/calendar/event?eid=${Buffer.from(`${id} ${calendar}`).toString('base64url')}`;

function event(org: FakeOrg, id: string, owner: FakePerson) {
  const organizer = org.pick(org.people), others = org.people.filter((p) => p !== organizer);
  const guest = org.pick(others.length > 0 ? others : org.people); // a one-person org invites its only person
  const meeting = String(org.int(81000000000, 89999999999)), passcode = personalText(org, org.chars(24));
  const pin = personalText(org, String(org.int(100000000, 999999999)));
  const attendee = (p: FakePerson) => ({ email: p.email, displayName: p.displayName, ...(p === owner ? { self: true } : {}) });
  return {
    kind: 'calendar#event', etag: `"${org.int(3000000000000000, 3999999999999999)}"`, id, status: 'confirmed',
    htmlLink: htmlLink(id, owner.email), created: org.isoTime(60), updated: org.isoTime(30),
    summary: personalText(org, `${organizer.displayName} / ${guest.displayName} weekly 1:1`),
    description: personalText(org, `Agenda: ${guest.firstName}'s promotion case. Join https://example-corp.zoom.us/j/${meeting}?pwd=${passcode} or call ${organizer.phone}`),
    location: 'Room 4B (8)',
    creator: attendee(organizer), organizer: attendee(organizer),
    start: { dateTime: '2026-10-05T10:00:00-04:00', timeZone: 'America/New_York' },
    end: { dateTime: '2026-10-05T10:30:00-04:00', timeZone: 'America/New_York' },
    recurringEventId: id.slice(0, 20), iCalUID: `${id}@google.com`, sequence: 0,
    attendees: [
      { ...attendee(organizer), organizer: true, responseStatus: 'accepted' },
      { ...attendee(guest), responseStatus: 'tentative', comment: personalText(org, `Running late, ${organizer.firstName} — start without me`) },
      ...(owner !== organizer && owner !== guest ? [{ email: owner.email, self: true, optional: true, responseStatus: 'needsAction' }] : []),
    ],
    hangoutLink: 'https://meet.google.com/xbq-rtzd-kmw',
    conferenceData: {
      entryPoints: [
        { entryPointType: 'video', uri: `https://example-corp.zoom.us/j/${meeting}?pwd=${passcode}`, label: `example-corp.zoom.us/j/${meeting}`, meetingCode: meeting, passcode },
        { entryPointType: 'phone', uri: 'tel:+1-646-558-8656', label: '+1 646-558-8656', pin },
      ],
      conferenceSolution: { key: { type: 'addOn' }, name: 'Zoom Meeting', iconUri: 'https://lh3.googleusercontent.com/zoom-icon' },
      conferenceId: meeting,
      notes: personalText(org, `Meeting host: ${organizer.displayName}`),
      parameters: { addOnParameters: { parameters: { meetingCreatedBy: organizer.email, meetingType: '2' } } },
    },
    extendedProperties: { private: { prepNotes: personalText(org, `Ask ${guest.displayName} about the reorg`) } },
    attachments: [{ fileUrl: `https://drive.google.com/open?id=${org.chars(33)}`, title: personalText(org, `${guest.displayName} - self review.docx`), mimeType: 'application/vnd.google-apps.document', fileId: org.chars(33) }],
    reminders: { useDefault: true },
    eventType: 'default',
  };
}

function outOfOffice(org: FakeOrg, owner: FakePerson) {
  const id = eventId(org);
  return {
    kind: 'calendar#event', etag: `"${org.int(3000000000000000, 3999999999999999)}"`, id, status: 'confirmed',
    htmlLink: htmlLink(id, owner.email), created: org.isoTime(60), updated: org.isoTime(30),
    summary: 'Out of office', creator: { email: owner.email, self: true }, organizer: { email: owner.email, self: true },
    start: { dateTime: '2026-10-09T00:00:00-04:00' }, end: { dateTime: '2026-10-10T00:00:00-04:00' },
    iCalUID: `${id}@google.com`, sequence: 0, reminders: { useDefault: false }, eventType: 'outOfOffice',
    outOfOfficeProperties: { autoDeclineMode: 'declineAllConflictingInvitations', declineMessage: 'Declined because I am out of office',
      autoDeclineMessage: personalText(org, `Back Monday; ask ${org.pick(org.people).displayName} meanwhile`) },
  };
}

export const GCAL = workspaceConnector({
  id: 'gcal',
  name: 'Google Calendar',
  host: 'www.googleapis.com',
  api: 'calendar-json.googleapis.com',
  scopes: ['https://www.googleapis.com/auth/calendar.readonly'],
  impersonates: 'user',
  sanitizes: 'Emails of organizers, creators and attendees become tokens; display names, extended properties, conference notes, PINs and dial-in labels, RSVP comments and attachment names are redacted; event titles keep only a fixed list of phrases (`1:1`, `standup`, `OOO`…) in lists and go entirely on a single event; descriptions keep only Zoom links, without passcodes; calendar ids in the calendar list become reversible tokens. Locations and `htmlLink` pass as Google sends them (psoxy\'s rules keep them; `htmlLink` encodes the calendar\'s email in base64).',
  rules: { '': CALENDAR_RULES_YAML },
  conformance: { '': 'google-workspace/calendar' },
  examples: [
    { name: 'Calendars: get', path: '/calendar/v3/calendars/primary', response: (org) => {
      const owner = person(org, 0);
      return { kind: 'calendar#calendar', etag: `"${org.chars(16)}"`, id: owner.email, summary: owner.email,
        description: personalText(org, `${owner.displayName}'s calendar — call ${owner.phone} if urgent`), location: personalText(org, `${owner.firstName}'s desk, 3rd floor`),
        timeZone: 'America/New_York', conferenceProperties: { allowedConferenceSolutionTypes: ['hangoutsMeet'] } };
    } },
    { name: 'Settings: list', path: '/calendar/v3/users/me/settings', response: (org) => ({
      kind: 'calendar#settings', etag: `"${org.chars(16)}"`, nextSyncToken: org.chars(20),
      items: [['timezone', 'America/New_York'], ['locale', 'en'], ['weekStart', '1'], ['format24HourTime', 'false'], ['defaultEventLength', '30']]
        .map(([id, value]) => ({ kind: 'calendar#setting', etag: `"${org.chars(16)}"`, id, value })),
    }) },
    { name: 'CalendarList: list', path: '/calendar/v3/users/me/calendarList', response: (org) => {
      const [owner, colleague] = [person(org, 0), person(org, 1)];
      const entry = (id: string, summary: string, extra: object) => ({ kind: 'calendar#calendarListEntry', etag: `"${org.chars(16)}"`, id, summary,
        timeZone: 'America/New_York', colorId: '14', backgroundColor: '#9fe1e7', foregroundColor: '#000000', selected: true, defaultReminders: [], ...extra });
      return { kind: 'calendar#calendarList', etag: `"${org.chars(16)}"`, nextSyncToken: org.chars(24), items: [
        entry(owner.email, owner.email, { accessRole: 'owner', primary: true, defaultReminders: [{ method: 'popup', minutes: 10 }] }),
        entry(colleague.email, colleague.email, { accessRole: 'reader', summaryOverride: personalText(org, `${colleague.displayName} (manager)`) }),
        entry(`c_${org.chars(26).toLowerCase()}@group.calendar.google.com`, personalText(org, `${owner.displayName} Transferred`), { accessRole: 'writer' }),
      ] };
    } },
    { name: 'Events: list', path: '/calendar/v3/calendars/primary/events?maxResults=10&singleEvents=true', response: (org) => ({
      kind: 'calendar#events', etag: `"${org.chars(16)}"`, summary: person(org, 0).email, updated: org.isoTime(), timeZone: 'America/New_York',
      accessRole: 'owner', defaultReminders: [{ method: 'popup', minutes: 10 }], nextPageToken: org.chars(40),
      items: [event(org, eventId(org), person(org, 0)), outOfOffice(org, person(org, 0))],
    }) },
    { name: 'Events: get', path: `/calendar/v3/calendars/primary/events/${EVENT_ID}`, response: (org) => event(org, EVENT_ID, person(org, 0)) },
  ],
});
