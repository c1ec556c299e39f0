/**
 * Sanitizer benchmarks: Zoom pages through the built-in Zoom rules, timed against bare
 * JSON.parse + JSON.stringify of the same body in the same run.
 */
import { loadApiRules } from '../src/rules/load.ts';
import { Sanitizer } from '../src/sanitizer/sanitizer.ts';
import { Pseudonymizer } from '../src/pseudonym/pseudonymizer.ts';
import { builtInRulesYaml } from '../src/sources/index.ts';
import { generateOrg } from '../src/sources/zoom/simulator/org.ts';
import { paginate, participantsPage, usersPage } from '../src/sources/zoom/simulator/responses.ts';
import { median, emit } from './stats.ts';

/** Medians (ms) of two functions timed in interleaved rounds, so machine noise hits both alike. */
export function interleavedMedians(a: () => void, b: () => void): [number, number] {
  const as: number[] = [], bs: number[] = [];
  for (let round = 0; round < 10; round++) {
    as.push(...timeIt(a, 30));
    bs.push(...timeIt(b, 30));
  }
  return [median(as), median(bs)];
}

export function timeIt(fn: () => void, iterations: number): number[] {
  for (let i = 0; i < Math.min(10, iterations); i++) fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return samples;
}

/** The compiled built-in Zoom rules and the two pages every sanitizer benchmark uses. */
export function sanitizeCases(): { sanitizer: Sanitizer; cases: { name: string; url: string; body: string }[] } {
  const pz = new Pseudonymizer({ salt: 'bench-salt', encryptionKey: 'bench-key' });
  const sanitizer = new Sanitizer(loadApiRules(builtInRulesYaml('zoom')!), pz);
  const org = generateOrg({ seed: 1, users: 1000, meetingsPerUser: 1, participantsPerMeeting: 2 });
  const bigMeeting = generateOrg({ seed: 2, users: 300, meetingsPerUser: 1, participantsPerMeeting: 1000 }).meetings[0];
  const cases = [
    { name: 'users-300', url: '/v2/users?page_size=300', body: JSON.stringify(usersPage(paginate(org.users, 300, null)!)) },
    {
      name: 'report-participants-1000',
      url: `/v2/report/meetings/${encodeURIComponent(bigMeeting.uuid)}/participants?page_size=1000`,
      body: JSON.stringify(participantsPage(paginate(bigMeeting.participants, 1000, null)!, true)),
    },
  ];
  return { sanitizer, cases };
}

export function benchSanitize(): void {
  const yaml = builtInRulesYaml('zoom')!;
  const compileMs = median(timeIt(() => new Sanitizer(loadApiRules(yaml), new Pseudonymizer({ salt: 's' })), 50));
  emit({ name: 'rules-compile-zoom', ms: compileMs });

  const { sanitizer, cases } = sanitizeCases();
  for (const c of cases) {
    const [baseline, sanitize] = interleavedMedians(() => JSON.stringify(JSON.parse(c.body)), () => sanitizer.sanitize('GET', c.url, c.body));
    emit({
      name: 'sanitize-' + c.name,
      ratio: sanitize / baseline,
      medianMs: sanitize,
      baselineMs: baseline,
      bytes: c.body.length,
      mbPerSec: c.body.length / 1e6 / (sanitize / 1000),
    });
  }
}
