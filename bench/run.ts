/**
 * `npm run bench [group…]`: every benchmark, or only the named groups (sanitize, leak-guard, proxy,
 * cold-start, bulk), one JSON line per measurement.
 */
import { benchSanitize } from './sanitize.ts';
import { benchLeakGuard } from './leak-guard.ts';
import { benchProxy } from './proxy.ts';
import { benchColdStart } from './cold-start.ts';
import { benchBulk } from './bulk.ts';

const GROUPS: Record<string, () => unknown> = {
  sanitize: benchSanitize, 'leak-guard': benchLeakGuard, proxy: benchProxy, 'cold-start': benchColdStart, bulk: benchBulk,
};
const asked = process.argv.slice(2);
const unknown = asked.filter((g) => !Object.hasOwn(GROUPS, g));
if (unknown.length) throw new Error(`unknown benchmark group ${unknown.join(', ')}: choose from ${Object.keys(GROUPS).join(', ')}`);
for (const [name, run] of Object.entries(GROUPS)) if (asked.length === 0 || asked.includes(name)) await run();
