/**
 * `npm start`: sanitizes a generated Zoom organisation's API responses with the built-in Zoom
 * rules and shows, side by side, what Zoom held and what the analytics client receives.
 */
import { loadApiRules } from '../rules/load.ts';
import { Sanitizer } from '../sanitizer/sanitizer.ts';
import { Pseudonymizer } from '../pseudonym/pseudonymizer.ts';
import { builtInRulesYaml } from '../sources/index.ts';
import { generateOrg } from '../sources/zoom/simulator/org.ts';
import { paginate, participantsPage, usersPage } from '../sources/zoom/simulator/responses.ts';

export async function runDemo(): Promise<number> {
  const org = generateOrg({ seed: 7, users: 12, meetingsPerUser: 1, participantsPerMeeting: 5 });
  const sanitizer = new Sanitizer(loadApiRules(builtInRulesYaml('zoom')!, 'built-in:zoom'), new Pseudonymizer({ salt: 'demo-salt', encryptionKey: 'demo-key' }));
  const calls: [string, unknown][] = [
    ['/v2/users?page_size=3', usersPage(paginate(org.users, 3, null)!)],
    [`/v2/report/meetings/${encodeURIComponent(org.meetings[0].uuid)}/participants?page_size=3`, participantsPage(paginate(org.meetings[0].participants, 3, null)!, true)],
  ];
  const secrets = [...org.users.flatMap((u) => [u.email, u.display_name, u.first_name, u.last_name, u.phone_number]), ...org.meetings.flatMap((m) => [m.topic, m.join_url, m.password, ...m.participants.map((p) => p.name)])];
  let leaks = 0;
  for (const [url, body] of calls) {
    const original = JSON.stringify(body);
    const sanitized = sanitizer.sanitize('GET', `https://api.zoom.us${url}`, original);
    console.log(`\nGET ${url}`);
    const before = body as Record<string, Record<string, unknown>[]>;
    const after = JSON.parse(sanitized) as Record<string, Record<string, unknown>[]>;
    const list = 'users' in before ? 'users' : 'participants';
    const fields = ['id', 'email', 'user_email', 'name', 'display_name', 'phone_number', 'pmi'].filter((f) => f in before[list][0]);
    for (const f of fields) {
      console.log(`  ${f.padEnd(13)} ${String(before[list][0][f]).slice(0, 34).padEnd(36)} → ${after[list][0][f] === undefined ? '(removed)' : String(after[list][0][f])}`);
    }
    leaks += secrets.filter((s) => s && sanitized.includes(s)).length;
  }
  console.log(leaks === 0 ? '\nNo email, name, phone number, topic, join URL or password got through.' : `\n${leaks} personal values leaked!`);
  return leaks === 0 ? 0 : 1;
}
