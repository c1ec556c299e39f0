/** `npm run bench`: every benchmark, one JSON line per measurement. */
import { benchSanitize } from './sanitize.ts';
import { benchLeakGuard } from './leak-guard.ts';
import { benchProxy } from './proxy.ts';
import { benchColdStart } from './cold-start.ts';
import { benchBulk } from './bulk.ts';

benchSanitize();
benchLeakGuard();
await benchProxy();
await benchColdStart();
await benchBulk();
