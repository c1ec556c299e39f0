/**
 * What parsed rules text gives the binder (values, and where they came from for errors), and the
 * JSON fast path, which needs no YAML parser (`yaml-source.ts` reads YAML).
 */
export class RulesError extends Error {
  readonly file: string;
  readonly line: number | null;
  readonly problem: string;
  constructor(file: string, line: number | null, problem: string) {
    super(`${file}${line !== null ? `:${line}` : ''}: ${problem}`);
    this.file = file;
    this.line = line;
    this.problem = problem;
  }
}

export interface YamlSource {
  file: string;
  value: unknown;
  /** Line (1-based) where a mapping/sequence, or one of its keys, starts. */
  lineOf(container: object, key?: string | number): number | null;
  tagOf(container: object): string | null;
  fail(container: object | null, problem: string, key?: string | number): never;
}

/**
 * Rules text that is a JSON object, as a source (JSON parses much faster than YAML; it carries no
 * tags, transforms use `method:`, nor lines); undefined for anything else, which YAML (a superset)
 * reads and reports with its line.
 */
export function jsonSource(text: string, file: string): YamlSource | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
  return {
    file,
    value,
    lineOf: () => null,
    tagOf: () => null,
    fail(_container, problem) {
      throw new RulesError(file, null, problem);
    },
  };
}
