/**
 * Structured logging, one JSON line per event. Callers pass only what is safe to log: never
 * secrets, tokens, request or response bodies (tests assert this on the proxy's output).
 */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export function jsonLogger(write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const log = (level: string) => (message: string, fields: LogFields = {}) =>
    write(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }) + '\n');
  return { info: log('info'), warn: log('warn'), error: log('error') };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** Keeps every line (tests: assert what was, and was not, logged). */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, ...jsonLogger((l) => lines.push(l)) };
}
