/**
 * Leak guard benchmarks: `scanForLeaks` over the sanitized output of the sanitizer benchmark's
 * pages, timed against sanitizing the same page in the same run (`ratio`, target < 0.10).
 */
import { scanForLeaks } from '../src/guard/leak-guard.ts';
import { interleavedMedians, sanitizeCases } from './sanitize.ts';
import { emit } from './stats.ts';

export function benchLeakGuard(): void {
  const { sanitizer, cases } = sanitizeCases();
  for (const c of cases) {
    const out = sanitizer.sanitize('GET', c.url, c.body);
    const found = scanForLeaks(out);
    const [sanitize, guard] = interleavedMedians(() => sanitizer.sanitize('GET', c.url, c.body), () => scanForLeaks(out));
    emit({
      name: 'leak-guard-' + c.name,
      ratio: guard / sanitize,
      medianMs: guard,
      sanitizeMs: sanitize,
      bytes: out.length,
      findings: found.email + found.phone + found.ip,
    });
  }
}
