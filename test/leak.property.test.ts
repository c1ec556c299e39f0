// Property: for random simulated organisations, no personal value from Zoom appears in any proxy response.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { zoomStack } from './helpers/zoom-stack.ts';
import { appearsIn, personalValues } from '../src/cli/demo.ts';

type Json = Record<string, unknown>;
const enc2 = (s: string) => encodeURIComponent(encodeURIComponent(s));

test('a passcode inside a longer number is not a leak; as a whole value it is', () => {
  assert.equal(appearsIn('{"id":89520136592}', '952013'), false);
  assert.equal(appearsIn('{"password":"952013"}', '952013'), true);
  assert.equal(appearsIn('{"n":952013}', '952013'), true);
  assert.equal(appearsIn('x Alice Example y', 'Alice Example'), true);
});

test('property: random organisations leak no email, name, phone, topic, join URL or password', async () => {
  await fc.assert(fc.asyncProperty(
    fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    fc.integer({ min: 1, max: 15 }),
    fc.string({ minLength: 3, maxLength: 12 }).map((s) => s.toLowerCase().replace(/[^a-z]/g, '') || 'corp'),
    async (seed, users, domainWord) => {
      const s = await zoomStack({ sim: { orgOptions: { seed, users, meetingsPerUser: 2, participantsPerMeeting: 4, domain: `${domainWord}.example.com` } } });
      try {
        const secrets = personalValues(s.sim.org);
        const bodies: string[] = [];
        const get = async (p: string) => {
          const r = await s.get(p);
          const text = await r.text();
          assert.equal(r.status, 200, `${p}: ${text}`);
          bodies.push(text);
          return JSON.parse(text) as Json;
        };
        const list = (await get('/v2/users?page_size=300')).users as Json[];
        for (const u of list.slice(0, 3)) {
          const meetings = (await get(`/v2/users/${u.id as string}/meetings`)).meetings as Json[];
          await get(`/v2/report/users/${u.id as string}/meetings`);
          await get(`/v2/users/${u.id as string}/recordings`);
          for (const m of meetings) {
            const meeting = s.sim.org.meetings.find((x) => x.id === m.id)!;
            await get(`/v2/meetings/${meeting.id}`);
            await get(`/v2/past_meetings/${enc2(meeting.uuid)}`);
            await get(`/v2/past_meetings/${enc2(meeting.uuid)}/participants`);
            await get(`/v2/report/meetings/${enc2(meeting.uuid)}/participants`);
            if (meeting.summary) await get(`/v2/meetings/${enc2(meeting.uuid)}/meeting_summary`);
          }
        }
        const all = bodies.join('\n');
        assert.deepEqual(secrets.filter((x) => appearsIn(all, x)), []);
      } finally {
        await s.close();
      }
    },
  ), { numRuns: 8 });
});
