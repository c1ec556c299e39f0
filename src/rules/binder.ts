/** Strict binding of YAML values to typed rules: every problem names the file and line. */
import type { YamlSource } from './yaml-source.ts';
import { compileJsonPath, JsonPathSyntaxError } from '../jsonpath/index.ts';
import { compileJavaRegex, JavaRegexError } from '../regex/java-regex.ts';

export type Obj = Record<string, unknown>;

export class Binder {
  readonly src: YamlSource;
  readonly warnings: string[] = [];
  constructor(src: YamlSource) { this.src = src; }

  warn(at: object, problem: string, key?: string): void {
    const line = this.src.lineOf(at, key);
    this.warnings.push(`${this.src.file}${line !== null ? `:${line}` : ''}: ${problem}`);
  }

  /**
   * The type psoxy reads for a polymorphic rule (a transform, an augment): the YAML tag
   * (`!<redact>`), else a `method:` property (the only way in JSON rules).
   */
  typeOf(o: Obj): { type: string | undefined; viaMethod: boolean } {
    const tag = this.src.tagOf(o);
    const method = typeof o.method === 'string' ? o.method : undefined;
    return { type: tag ?? method, viaMethod: method !== undefined };
  }

  object(v: unknown, parent: object | null, what: string, key?: string | number): Obj {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.src.fail(parent, `${what} must be a mapping`, key);
    return v as Obj;
  }

  keys(o: Obj, allowed: readonly string[], what: string): void {
    for (const k of Object.keys(o)) {
      if (!allowed.includes(k)) this.src.fail(o, `unknown key "${k}" in ${what} (allowed: ${allowed.join(', ')})`, k);
    }
  }

  string(o: Obj, key: string, what: string): string | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' && typeof v !== 'number') this.src.fail(o, `${what}.${key} must be a string`, key);
    return String(v);
  }

  bool(o: Obj, key: string, what: string, dflt: boolean): boolean {
    const v = o[key];
    if (v === undefined || v === null) return dflt;
    if (typeof v !== 'boolean') this.src.fail(o, `${what}.${key} must be true or false`, key);
    return v;
  }

  strings(o: Obj, key: string, what: string): string[] | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) this.src.fail(o, `${what}.${key} must be a list`, key);
    return v.map((x, i) => {
      if (typeof x !== 'string' && typeof x !== 'number') this.src.fail(v, `${what}.${key}[${i}] must be a string`, i);
      return String(x);
    });
  }

  regex(o: Obj, key: string, value: string, options: { flags?: string; at?: object; index?: number } = {}): void {
    try {
      compileJavaRegex(value, { flags: options.flags });
    } catch (e) {
      if (e instanceof JavaRegexError) this.src.fail(options.at ?? o, e.message, options.at ? options.index : key);
      throw e;
    }
  }

  jsonPath(at: object, key: string | number, path: string): void {
    try {
      compileJsonPath(path);
    } catch (e) {
      if (e instanceof JsonPathSyntaxError) this.src.fail(at, e.message, key);
      throw e;
    }
  }
}

