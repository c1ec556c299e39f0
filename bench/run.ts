/** `npm run bench`: every benchmark, one JSON line per measurement. */
import { benchSanitize } from './sanitize.ts';

benchSanitize();
