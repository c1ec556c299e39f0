/** `npm run bench`: every benchmark, one JSON line per measurement. */
import { benchSanitize } from './sanitize.ts';
import { benchProxy } from './proxy.ts';
import { benchColdStart } from './cold-start.ts';
import { benchBulk } from './bulk.ts';

benchSanitize();
await benchProxy();
await benchColdStart();
await benchBulk();
