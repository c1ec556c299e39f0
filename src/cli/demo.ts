/**
 * `npm start`: the whole product on one machine. Starts the Zoom simulator and the proxy on
 * 127.0.0.1, calls through the proxy the way an analytics client does, and prints what Zoom held
 * next to what came out, checking that no personal data got through.
 */
import { ZoomSimulator } from '../sources/zoom/simulator/server.ts';
import { ZOOM_GUIDE_CLASSIC_SCOPES } from '../sources/zoom/connector.ts';
import type { ZoomOrg } from '../sources/zoom/simulator/org.ts';
import { serveLocalProxy } from '../runtimes/node/serve.ts';
import { MemoryStore } from '../config/store.ts';
import type { Connector } from '../sources/catalogue/connector.ts';
import { SourceSimulator } from '../sources/catalogue/simulator.ts';
import { silentLogger } from '../logging/logger.ts';

type Json = Record<string, unknown>;

/** Every personal value the simulator holds: none may appear in a proxy response. */
export function personalValues(org: ZoomOrg): string[] {
  return [
    ...org.users.flatMap((u) => [u.email, u.display_name, u.first_name + ' ' + u.last_name, u.phone_number, u.pic_url]),
    ...org.meetings.flatMap((m) => [m.topic, m.agenda, m.join_url, m.start_url, m.password, m.encrypted_password,
      ...m.participants.flatMap((p) => [p.name, p.user_email]),
      ...(m.summary ? [m.summary.overview, ...m.summary.next_steps] : [])]),
  ].filter((v) => v.length >= 6);
}

/**
 * Whether a personal value appears in a response. An all-digit value (a meeting passcode) counts
 * only as a whole number: `952013` inside the meeting id `89520136592` is not a leak.
 */
export function appearsIn(text: string, value: string): boolean {
  if (!/^\d+$/.test(value)) return text.includes(value);
  return new RegExp(`(?<!\\d)${value}(?!\\d)`).test(text);
}

/**
 * A catalogue connector's demo: the generic simulator serves its example calls, a local proxy with
 * its built-in rules sanitizes them, and each call shows whether a personal value got through.
 */
export async function runConnectorDemo(connector: Connector, print: (line: string) => void = console.log): Promise<number> {
  const sim = new SourceSimulator(connector, { seed: 7, people: 8 });
  await sim.start();
  const proxy = await serveLocalProxy({
    source: connector.id,
    env: { PSOXY_SALT: 'demo-salt', PSOXY_ENCRYPTION_KEY: 'demo-encryption-key', ...sim.settings() },
    store: new MemoryStore(),
    logger: silentLogger,
  });
  const secrets = sim.personalValues();
  let failures = 0;
  try {
    print(`${connector.name} simulator at ${sim.settings().TARGET_HOST} (${sim.org.people.length} people); proxy at ${proxy.url} with the built-in ${connector.id} rules.`);
    for (const e of connector.examples) {
      const res = await fetch(proxy.url + e.path, { method: e.method ?? 'GET', ...(e.body !== undefined ? { body: JSON.stringify(e.body), headers: { 'Content-Type': 'application/json' } } : {}) });
      const text = await res.text();
      const leaked = secrets.filter((s) => appearsIn(text, s));
      print(`\n${e.method ?? 'GET'} ${e.path}  →  ${res.status}${leaked.length ? `  LEAKED ${leaked.length} personal values!` : ''}  (${e.name})`);
      print(`  ${text.slice(0, 300)}${text.length > 300 ? '…' : ''}`);
      if (res.status !== 200 || leaked.length) failures++;
    }
    print(failures === 0 ? `\nOK: ${connector.examples.length} calls; no name, email or other personal value got through.` : `\nFAILED: ${failures} call(s) failed or leaked personal data.`);
    return failures === 0 ? 0 : 1;
  } finally {
    await proxy.close();
    await sim.stop();
  }
}

export async function runDemo(print: (line: string) => void = console.log): Promise<number> {
  // An app set up exactly as psoxy's Zoom guide says: the three classic scopes.
  const sim = new ZoomSimulator({ scopes: 'classic', orgOptions: { seed: 7, users: 12, meetingsPerUser: 2, participantsPerMeeting: 6 } });
  await sim.start();
  const proxy = await serveLocalProxy({
    source: 'zoom',
    env: {
      PSOXY_SALT: 'demo-salt', PSOXY_ENCRYPTION_KEY: 'demo-encryption-key',
      ...sim.targetSettings(), ...sim.credentialSettings(),
    },
    store: new MemoryStore(),
    logger: silentLogger,
  });
  const secrets = personalValues(sim.org);
  let failures = 0;
  const call = async (path: string): Promise<Json> => {
    const res = await fetch(proxy.url + path);
    const text = await res.text();
    const leaked = secrets.filter((s) => appearsIn(text, s));
    print(`\nGET ${path}  →  ${res.status}${leaked.length ? `  LEAKED ${leaked.length} personal values!` : ''}`);
    if (res.status !== 200 || leaked.length) failures++;
    return res.status === 200 ? (JSON.parse(text) as Json) : {};
  };
  const row = (field: string, before: unknown, after: unknown) =>
    print(`  ${field.padEnd(13)} ${String(before ?? '').slice(0, 36).padEnd(38)} → ${after === undefined ? '(removed)' : String(after).slice(0, 70)}`);

  try {
    print(`Zoom simulator at ${sim.url} (${sim.org.users.length} users; app scopes as psoxy's guide says: ${ZOOM_GUIDE_CLASSIC_SCOPES.join(' ')}); proxy at ${proxy.url}; Zoom token obtained by the proxy itself.`);
    const users = await call('/v2/users?page_size=5');
    const firstOut = (users.users as Json[])[0];
    const firstIn = sim.org.users.filter((u) => u.status === 'active')[0];
    for (const f of ['id', 'email', 'first_name', 'last_name', 'phone_number', 'pmi', 'dept']) row(f, (firstIn as unknown as Json)[f], firstOut[f]);

    const meetings = await call(`/v2/users/${firstOut.id as string}/meetings`);
    print(`  (the user's p~ id was decrypted by the proxy to call Zoom; ${(meetings.meetings as Json[]).length} meetings)`);
    const mOut = (meetings.meetings as Json[])[0];
    const mIn = sim.org.meetings.find((m) => m.id === mOut.id)!;
    for (const f of ['id', 'topic', 'join_url', 'host_id', 'start_time']) row(f, (mIn as unknown as Json)[f], mOut[f]);

    const uuid = encodeURIComponent(encodeURIComponent(mIn.uuid)); // Zoom: UUIDs with '/' are double-encoded
    const participants = await call(`/v2/past_meetings/${uuid}/participants?page_size=30`);
    const pOut = (participants.participants as Json[])[0];
    const pIn = mIn.participants[0];
    for (const f of ['name', 'user_email', 'id', 'join_time']) row(f, (pIn as unknown as Json)[f], pOut[f]);

    const report = await call(`/v2/report/users/${firstOut.id as string}/meetings?from=2026-08-01&to=2026-11-01`);
    const rOut = (report.meetings as Json[])[0];
    for (const f of ['topic', 'user_name', 'user_email', 'participants_count']) row(f, f === 'user_name' ? firstIn.display_name : f === 'user_email' ? firstIn.email : (mIn as unknown as Json)[f] ?? mIn.participants.length, rOut[f]);

    const blocked = await fetch(`${proxy.url}/v2/groups`);
    print(`\nGET /v2/groups  →  ${blocked.status} ${blocked.headers.get('x-psoxy-error')} (not in the allow-list)`);
    if (blocked.status !== 403) failures++;
    print(failures === 0
      ? `\nOK: ${sim.stats.tokenRequests} token request, ${sim.stats.apiRequests} Zoom calls; no email, name, phone number, topic, join URL or password got through.`
      : `\nFAILED: ${failures} call(s) failed or leaked personal data.`);
    return failures === 0 ? 0 : 1;
  } finally {
    await proxy.close();
    await sim.stop();
  }
}
