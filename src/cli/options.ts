/**
 * What every `psoxy` command shares: the usage error (exit 2), typed option values that fail with
 * one line naming the option, the value and what is expected, and the action wrapper that turns a
 * command's result into the exit code.
 */

/** A command was called wrongly (bad or missing option or argument): exit 2, nothing was done. */
export class UsageError extends Error {}

/** Exit codes, as documented in `psoxy --help` and the README. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** A whole number in [min, max]; `hint` says what the number means where that is not obvious. */
export function wholeNumber(flag: string, min: number, max = Number.MAX_SAFE_INTEGER, hint = ''): (value: string) => number {
  const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `${min}-${max}`;
  return (value) => {
    const n = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!(n >= min && n <= max)) throw new UsageError(`${flag} must be a whole number ${range}${hint} (was "${value}")`);
    return n;
  };
}

export const port = wholeNumber('--port', 0, 65535, ', 0 for any free port');

/** One of a fixed set of words (compared as given; `normalize` e.g. upper-cases HTTP methods). */
export function oneOf<T extends string>(flag: string, allowed: readonly T[], normalize: (v: string) => string = (v) => v): (value: string) => T {
  return (value) => {
    const v = normalize(value);
    if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (was "${value}")`);
    return v as T;
  };
}

/**
 * A command's action: its result becomes the process exit code. Commander ignores what actions
 * return, so the code is set here rather than passed back through the parser.
 */
export function action<A extends unknown[]>(run: (...args: A) => number | Promise<number>): (...args: A) => Promise<void> {
  return async (...args) => { process.exitCode = await run(...args); };
}
