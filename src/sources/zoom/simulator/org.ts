/**
 * A generated, seeded, realistic Zoom organisation: users, scheduled and past meetings,
 * participants (including external guests), recordings and AI summaries. The same seed always
 * gives the same organisation. Shapes follow Zoom's API-hub documents (../shared/zoom-api).
 */

import { FIRST_NAMES, LAST_NAMES, seededRandom } from '../../catalogue/fake-org.ts';

export interface ZoomUser {
  id: string; first_name: string; last_name: string; display_name: string; email: string; type: number;
  pmi: number; timezone: string; verified: number; dept: string; created_at: string; user_created_at: string;
  last_login_time: string; last_client_version: string; pic_url: string; language: string; phone_number: string;
  status: 'active' | 'inactive' | 'pending'; role_id: string; employee_unique_id: string; group_ids: string[];
  im_group_ids: string[]; plan_united_type: string;
}

export interface ZoomParticipant {
  id: string; user_id: string; name: string; user_email: string; join_time: string; leave_time: string;
  duration: number; registrant_id: string; failover: boolean; status: string; internal_user: boolean; pmi?: number;
}

export interface ZoomMeeting {
  uuid: string; id: number; host_id: string; host_email: string; topic: string; agenda: string; type: number;
  start_time: string; end_time: string; duration: number; timezone: string; created_at: string; join_url: string;
  start_url: string; password: string; h323_password: string; pstn_password: string; encrypted_password: string;
  participants: ZoomParticipant[]; summary: { overview: string; details: { label: string; summary: string }[]; next_steps: string[] } | null;
}

export interface ZoomOrg {
  accountId: string;
  users: ZoomUser[];
  meetings: ZoomMeeting[];
}

const DEPTS = ['Engineering', 'Sales', 'Marketing', 'Finance', 'People', 'Support', 'Legal', 'Design'];
const TOPICS = ['Quarterly planning', 'Weekly sync', 'Customer escalation: Acme renewal', 'Hiring panel for Staff Engineer', '1:1', 'Budget review', 'Incident retro', 'Roadmap deep dive', 'Board prep', 'Design critique'];
const ZONES = ['America/New_York', 'Europe/Berlin', 'Asia/Tokyo', 'America/Los_Angeles', 'Europe/London'];
const GUEST_DOMAINS = ['partner-corp.com', 'gmail.com', 'customer.io', 'vendor.net'];
const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export interface OrgOptions {
  seed?: number;
  users?: number;
  meetingsPerUser?: number;
  participantsPerMeeting?: number;
  domain?: string;
}

export function generateOrg(options: OrgOptions = {}): ZoomOrg {
  const rnd = seededRandom(options.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const chars = (n: number, alphabet = ID_CHARS) => Array.from({ length: n }, () => pick([...alphabet])).join('');
  const domain = options.domain ?? 'example-corp.com';
  const base = Date.UTC(2026, 9, 1);
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const phone = () => `+1 ${int(200, 989)} ${int(200, 999)} ${int(1000, 9999)}`;

  const users: ZoomUser[] = [];
  const emails = new Set<string>();
  for (let n = 0; n < (options.users ?? 50); n++) {
    const first = pick(FIRST_NAMES), last = pick(LAST_NAMES);
    let email = `${first.toLowerCase().replace(/[^a-z]/g, '')}.${last.toLowerCase()}@${domain}`;
    for (let k = 2; emails.has(email); k++) email = email.replace(/(\d*)@/, `${k}@`);
    emails.add(email);
    const created = base - int(30, 2000) * 86400000;
    users.push({
      id: chars(22), first_name: first, last_name: last, display_name: `${first} ${last}`, email, type: pick([1, 2, 2, 2]),
      pmi: int(1000000000, 9999999999), timezone: pick(ZONES), verified: 1, dept: pick(DEPTS),
      created_at: iso(created), user_created_at: iso(created), last_login_time: iso(base - int(0, 20) * 3600000),
      last_client_version: `6.${int(0, 4)}.${int(0, 9)}.${int(10000, 99999)}(mac)`,
      pic_url: `https://example-corp.zoom.us/p/${chars(16)}/${chars(8)}.jpg`, language: 'en-US', phone_number: phone(),
      status: rnd() < 0.92 ? 'active' : 'inactive', role_id: String(int(0, 2)), employee_unique_id: `E${int(10000, 99999)}`,
      group_ids: [chars(22)], im_group_ids: [], plan_united_type: '1',
    });
  }

  const meetings: ZoomMeeting[] = [];
  for (const host of users) {
    for (let m = 0; m < (options.meetingsPerUser ?? 3); m++) {
      const start = base + int(-60, 30) * 86400000 + int(8, 17) * 3600000;
      const duration = pick([15, 30, 30, 45, 60, 90]);
      const id = int(80000000000, 99999999999);
      // Real meeting UUIDs are base64 of 16 bytes: they contain `/` and `+` (and sometimes start with `/`).
      const uuidBytes = Buffer.from(Array.from({ length: 16 }, () => int(0, 255)));
      if (m === 0) uuidBytes[0] = 0xfc; // guarantees a leading '/'
      const uuid = uuidBytes.toString('base64');
      const participants: ZoomParticipant[] = [];
      const count = options.participantsPerMeeting ?? int(2, 8);
      for (let p = 0; p < count; p++) {
        const internal = rnd() < 0.8;
        const u = internal ? pick(users) : null;
        const guestFirst = pick(FIRST_NAMES), guestLast = pick(LAST_NAMES);
        const join = start + int(0, 10) * 60000;
        const stay = int(5, duration) * 60;
        participants.push({
          id: u ? u.id : '', user_id: String(int(16000000, 16999999)), name: u ? u.display_name : `${guestFirst} ${guestLast}`,
          user_email: u ? u.email : `${guestFirst.toLowerCase()}.${guestLast.toLowerCase()}@${pick(GUEST_DOMAINS)}`,
          join_time: iso(join), leave_time: iso(join + stay * 1000), duration: stay, registrant_id: chars(22), failover: false,
          status: 'in_meeting', internal_user: internal, ...(u ? { pmi: u.pmi } : {}),
        });
      }
      const topic = pick(TOPICS);
      meetings.push({
        uuid, id, host_id: host.id, host_email: host.email, topic, agenda: `Agenda for ${topic} with ${host.display_name}`,
        type: pick([2, 2, 3, 8]), start_time: iso(start), end_time: iso(start + duration * 60000), duration,
        timezone: host.timezone, created_at: iso(start - 7 * 86400000), join_url: `https://example-corp.zoom.us/j/${id}?pwd=${chars(32)}`,
        start_url: `https://example-corp.zoom.us/s/${id}?zak=${chars(40)}`, password: chars(6, '0123456789'),
        h323_password: chars(6, '0123456789'), pstn_password: chars(6, '0123456789'), encrypted_password: chars(32),
        participants,
        summary: rnd() < 0.5 ? null : {
          overview: `${host.first_name} reviewed ${topic.toLowerCase()} with the team and agreed next steps.`,
          details: [{ label: 'Decisions', summary: `${host.display_name} will follow up with ${participants[0]?.name ?? 'the team'}.` }],
          next_steps: [`${host.first_name} to send notes`, 'Schedule follow-up'],
        },
      });
    }
  }
  return { accountId: chars(22), users, meetings };
}
