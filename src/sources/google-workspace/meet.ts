/**
 * Google Meet (psoxy `SOURCE=google-meet`): Meet's activity log from the Admin SDK Reports API
 * (`call_ended` events with who, how long, from where and on what device). Responses shaped after
 * the Reports API activities.list reference and its Meet event list.
 */
import { person, type FakeOrg, type FakePerson, personalText } from '../catalogue/fake-org.ts';
import { activities, activity, ipAddress, workspaceConnector } from './workspace.ts';
import { activityRulesYaml } from './reports.ts';

const MEET_RULES_YAML = activityRulesYaml({
  application: 'meet',
  identityParams: ['organizer_email', 'identifier'],
  keptParams: [
    'identifier_type', 'location_country', 'location_region', 'is_external', 'product_type', 'device_type', 'duration_seconds',
    'video_send_seconds', 'video_recv_seconds', 'screencast_send_seconds', 'screencast_recv_seconds', 'audio_send_seconds', 'audio_recv_seconds',
    'calendar_event_id', 'endpoint_id', 'meeting_code', 'conference_id',
  ],
});

function callEnded(org: FakeOrg, participant: FakePerson, organizer: FakePerson) {
  const seconds = String(org.int(300, 3600));
  return activity(org, 'meet', participant, {
    type: 'call', name: 'call_ended', parameters: [
      { name: 'video_send_seconds', intValue: seconds }, { name: 'location_country', value: 'US' }, { name: 'identifier_type', value: 'email_address' },
      { name: 'audio_send_bitrate_kbps_mean', intValue: '24' }, { name: 'endpoint_id', value: `boq_hlane_${org.chars(11)}` },
      { name: 'device_type', value: org.pick(['web', 'android', 'ios']) }, { name: 'calendar_event_id', value: `${org.chars(26).toLowerCase()}_20261005T140000Z` },
      { name: 'duration_seconds', intValue: seconds }, { name: 'audio_recv_seconds', intValue: seconds }, { name: 'audio_send_seconds', intValue: seconds },
      { name: 'video_recv_seconds', intValue: seconds }, { name: 'screencast_send_seconds', intValue: '0' }, { name: 'screencast_recv_seconds', intValue: '120' },
      { name: 'identifier', value: participant.email }, { name: 'display_name', value: participant.displayName },
      { name: 'organizer_email', value: organizer.email }, { name: 'ip_address', value: ipAddress(org) },
      { name: 'location_region', value: 'New York' }, { name: 'network_transport_protocol', value: 'udp' },
      { name: 'conference_id', value: org.chars(24) }, { name: 'product_type', value: 'meet' }, { name: 'meeting_code', value: org.chars(10, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') },
      { name: 'is_external', boolValue: false },
      { name: 'streaming_session_state', value: personalText(org, `${organizer.displayName} presenting`) },
    ],
  });
}

export const GOOGLE_MEET = workspaceConnector({
  id: 'google-meet',
  name: 'Google Meet',
  host: 'admin.googleapis.com',
  api: 'admin.googleapis.com',
  scopes: ['https://www.googleapis.com/auth/admin.reports.audit.readonly'],
  impersonates: 'admin',
  caveats: 'The impersonated administrator needs the Reports privilege. Meet\'s audit log is in the Reports API only for Google Workspace editions that include it, and arrives with the delay Google\'s \'Data retention and lag times\' page gives for Meet.',
  sanitizes: 'Participants\' and organizers\' emails become tokens and IP addresses hashes; of each call\'s parameters only durations, device, country and region, meeting and conference ids remain (display names, network statistics and anything else are redacted).',
  rules: { '': MEET_RULES_YAML },
  conformance: { '': 'google-workspace/meet' },
  examples: [
    { name: 'Activities: list (meet)', path: '/admin/reports/v1/activity/users/all/applications/meet?maxResults=10', response: (org) =>
      activities(org, org.people.slice(1, 4).map((p) => callEnded(org, p, person(org, 0)))) },
  ],
});
