/** Zoom API response bodies built from a generated organisation (shapes per Zoom's API hub). */
import type { ZoomMeeting, ZoomOrg, ZoomParticipant, ZoomUser } from './org.ts';

export interface Page<T> {
  items: T[];
  nextPageToken: string;
  pageSize: number;
  total: number;
}

/** Offset-based pages addressed by an opaque `next_page_token` (base64url of the offset). */
export function paginate<T>(all: T[], pageSize: number, token: string | null): Page<T> | null {
  let offset = 0;
  if (token) {
    const decoded = Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^o:/, ''));
    if (!Number.isInteger(decoded) || decoded < 0 || decoded > all.length) return null;
    offset = decoded;
  }
  const items = all.slice(offset, offset + pageSize);
  const next = offset + pageSize < all.length ? Buffer.from(`o:${offset + pageSize}`).toString('base64url') : '';
  return { items, nextPageToken: next, pageSize, total: all.length };
}

const pageFields = (p: Page<unknown>) => ({
  next_page_token: p.nextPageToken,
  page_count: Math.ceil(p.total / p.pageSize),
  page_size: p.pageSize,
  total_records: p.total,
});

export function usersPage(page: Page<ZoomUser>) {
  return {
    page_count: Math.ceil(page.total / page.pageSize), page_number: 1, page_size: page.pageSize, total_records: page.total,
    next_page_token: page.nextPageToken,
    users: page.items.map((u) => ({
      id: u.id, first_name: u.first_name, last_name: u.last_name, display_name: u.display_name, email: u.email, type: u.type,
      pmi: u.pmi, timezone: u.timezone, verified: u.verified, dept: u.dept, created_at: u.created_at, user_created_at: u.user_created_at,
      last_login_time: u.last_login_time, last_client_version: u.last_client_version, pic_url: u.pic_url, language: u.language,
      phone_number: u.phone_number, status: u.status, role_id: u.role_id, employee_unique_id: u.employee_unique_id,
      group_ids: u.group_ids, im_group_ids: u.im_group_ids, plan_united_type: u.plan_united_type,
    })),
  };
}

export function userMeetingsPage(page: Page<ZoomMeeting>) {
  return {
    ...pageFields(page), page_number: 1,
    meetings: page.items.map((m) => ({
      uuid: m.uuid, id: m.id, host_id: m.host_id, topic: m.topic, type: m.type, start_time: m.start_time, duration: m.duration,
      timezone: m.timezone, agenda: m.agenda, created_at: m.created_at, join_url: m.join_url, pmi: '',
    })),
  };
}

export function meetingDetails(m: ZoomMeeting) {
  return {
    assistant_id: '', host_email: m.host_email, host_id: m.host_id, id: m.id, uuid: m.uuid, agenda: m.agenda, created_at: m.created_at,
    duration: m.duration, encrypted_password: m.encrypted_password, pstn_password: m.pstn_password, h323_password: m.h323_password,
    join_url: m.join_url, password: m.password, start_time: m.start_time, start_url: m.start_url, status: 'waiting',
    timezone: m.timezone, topic: m.topic, type: m.type,
    settings: {
      host_video: true, participant_video: false, join_before_host: false, mute_upon_entry: true, waiting_room: true,
      approval_type: 2, audio: 'voip', auto_recording: 'none', alternative_hosts: m.participants.slice(0, 1).map((p) => p.user_email).join(';'),
      contact_email: m.host_email, contact_name: m.host_email.split('@')[0], encryption_type: 'enhanced_encryption',
      meeting_invitees: m.participants.map((p) => ({ email: p.user_email, internal_user: p.internal_user })),
      breakout_room: { enable: false, rooms: [{ name: 'Room 1', participants: m.participants.slice(0, 2).map((p) => p.user_email) }] },
    },
  };
}

export function meetingSummary(m: ZoomMeeting) {
  const s = m.summary!;
  return {
    meeting_host_id: m.host_id, meeting_host_email: m.host_email, meeting_uuid: m.uuid, meeting_id: m.id, meeting_topic: m.topic,
    meeting_start_time: m.start_time, meeting_end_time: m.end_time, summary_start_time: m.start_time, summary_end_time: m.end_time,
    summary_created_time: m.end_time, summary_last_modified_time: m.end_time, summary_last_modified_user_id: m.host_id,
    summary_last_modified_user_email: m.host_email, summary_title: `Meeting summary for ${m.topic}`,
    summary_overview: s.overview, summary_details: s.details, next_steps: s.next_steps,
  };
}

export function pastMeetingDetails(m: ZoomMeeting, host: ZoomUser | undefined) {
  return {
    id: m.id, uuid: m.uuid, duration: m.duration, start_time: m.start_time, end_time: m.end_time, host_id: m.host_id,
    dept: host?.dept ?? '', participants_count: m.participants.length, source: 'Zoom', topic: m.topic,
    total_minutes: m.participants.reduce((a, p) => a + Math.round(p.duration / 60), 0), type: m.type,
    user_email: m.host_email, user_name: host?.display_name ?? '', has_meeting_summary: m.summary !== null,
  };
}

export function pastMeetingInstances(instances: ZoomMeeting[]) {
  return { meetings: instances.map((m) => ({ uuid: m.uuid, start_time: m.start_time })) };
}

export function participantsPage(page: Page<ZoomParticipant>, report: boolean) {
  return {
    ...pageFields(page),
    participants: page.items.map((p) => ({
      id: p.id, name: p.name, user_id: p.user_id, registrant_id: p.registrant_id, user_email: p.user_email,
      join_time: p.join_time, leave_time: p.leave_time, duration: p.duration, failover: p.failover, status: p.status,
      internal_user: p.internal_user, ...(report ? { customer_key: '', bo_mtg_id: '' } : {}),
    })),
  };
}

export function reportUserMeetingsPage(page: Page<ZoomMeeting>, org: ZoomOrg) {
  return {
    ...pageFields(page), from: '2026-08-01', to: '2026-11-01',
    meetings: page.items.map((m) => {
      const host = org.users.find((u) => u.id === m.host_id);
      return {
        uuid: m.uuid, id: m.id, host_id: m.host_id, type: m.type, topic: m.topic, user_name: host?.display_name ?? '',
        user_email: m.host_email, start_time: m.start_time, end_time: m.end_time, duration: m.duration,
        total_minutes: m.participants.reduce((a, p) => a + Math.round(p.duration / 60), 0), participants_count: m.participants.length,
        source: 'Zoom', custom_keys: [{ key: 'cost_center', value: 'CC-1001' }], tracking_fields: [{ field: 'Project', value: 'Apollo' }],
      };
    }),
  };
}

export function recordingsPage(page: Page<ZoomMeeting>, org: ZoomOrg) {
  return {
    ...pageFields(page), from: '2026-08-01', to: '2026-11-01',
    meetings: page.items.map((m) => ({
      uuid: m.uuid, id: m.id, account_id: org.accountId, host_id: m.host_id, topic: m.topic, type: m.type, start_time: m.start_time,
      duration: m.duration, total_size: 1048576 * m.duration, recording_count: 1, share_url: `https://example-corp.zoom.us/rec/share/${m.id}`,
      recording_play_passcode: m.password,
      recording_files: [{
        id: `rec-${m.id}`, meeting_id: m.uuid, recording_start: m.start_time, recording_end: m.end_time, file_type: 'MP4',
        file_extension: 'MP4', file_size: 1048576 * m.duration, play_url: `https://example-corp.zoom.us/rec/play/${m.id}`,
        download_url: `https://example-corp.zoom.us/rec/download/${m.id}`, status: 'completed', recording_type: 'shared_screen_with_speaker_view',
      }],
    })),
  };
}
