/** `npm run bench`: every benchmark, one JSON line per measurement. */
import { benchSanitize } from './sanitize.ts';
import { benchProxy } from './proxy.ts';
import { benchBulk } from './bulk.ts';

benchSanitize();
await benchProxy();
await benchBulk();
