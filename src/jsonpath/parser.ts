/**
 * Parser for the Jayway JsonPath dialect used by psoxy rules: dot and bracket notation,
 * `$.['a','b']`, wildcards, deep scan, indexes and slices, filters `[?(...)]`.
 */
import type { FilterExpr, Operand, PathAst, RelationalOp, Segment } from './ast.ts';
import { compileJavaRegex, JavaRegexError } from '../regex/java-regex.ts';
import { parseJson, rawNumber, type JsonValue } from '../json/json.ts';

export class JsonPathSyntaxError extends Error {
  readonly path: string;
  readonly position: number;
  constructor(path: string, position: number, problem: string) {
    super(`invalid JSONPath ${JSON.stringify(path)} at position ${position}: ${problem}`);
    this.path = path;
    this.position = position;
  }
}

export function parseJsonPath(path: string): PathAst {
  const text = path.trim();
  if (text === '') throw new JsonPathSyntaxError(path, 0, 'path is empty');
  // Jayway reads a path without a root as relative to `$`.
  const source = text.startsWith('$') || text.startsWith('@') ? text : '$.' + text;
  const p = new PathReader(source, path);
  const ast = p.readPath();
  if (!p.atEnd()) p.fail('unexpected character ' + JSON.stringify(p.peek()));
  return ast;
}

const OPS: RelationalOp[] = ['==', '!=', '<=', '>=', '<', '>', '=~'];
const WORD_OPS: RelationalOp[] = ['nin', 'in', 'contains', 'size', 'empty', 'subsetof', 'anyof', 'noneof'];

class PathReader {
  pos = 0;
  readonly s: string;
  readonly original: string;
  constructor(s: string, original: string) {
    this.s = s;
    this.original = original;
  }

  atEnd(): boolean { return this.pos >= this.s.length; }
  peek(offset = 0): string { return this.s[this.pos + offset] ?? ''; }
  fail(problem: string): never { throw new JsonPathSyntaxError(this.original, this.pos, problem); }
  skipSpaces(): void { while (this.peek() === ' ' || this.peek() === '\t') this.pos++; }

  /** Reads `$…` or `@…`; stops at the first character that cannot continue a path. */
  readPath(): PathAst {
    const root = this.peek() as '$' | '@';
    if (root !== '$' && root !== '@') this.fail('a path starts with $ or @');
    this.pos++;
    const segments: Segment[] = [];
    for (;;) {
      const c = this.peek();
      if (c === '.') {
        if (this.peek(1) === '.') {
          this.pos += 2;
          segments.push({ kind: 'scan' });
          if (this.peek() === '[') segments.push(this.readBracket());
          else if (this.peek() === '*') { this.pos++; segments.push({ kind: 'wildcard' }); }
          else segments.push(this.readDotProperty());
          continue;
        }
        this.pos++;
        if (this.peek() === '[') segments.push(this.readBracket());
        else if (this.peek() === '*') { this.pos++; segments.push({ kind: 'wildcard' }); }
        else segments.push(this.readDotProperty());
        continue;
      }
      if (c === '[') { segments.push(this.readBracket()); continue; }
      break;
    }
    return { root, segments };
  }

  readDotProperty(): Segment {
    const start = this.pos;
    while (!this.atEnd() && !'.[ ()=!<>&|,'.includes(this.peek())) this.pos++;
    if (this.pos === start) this.fail('expected a property name');
    if (this.peek() === '(') this.fail('path functions are not supported');
    return { kind: 'property', names: [this.s.slice(start, this.pos)] };
  }

  readBracket(): Segment {
    this.pos++; // [
    this.skipSpaces();
    const c = this.peek();
    let seg: Segment;
    if (c === '?') seg = this.readFilter();
    else if (c === '*') { this.pos++; seg = { kind: 'wildcard' }; }
    else if (c === "'" || c === '"') seg = this.readQuotedProperties();
    else if (/[-0-9:]/.test(c)) seg = this.readIndexOrSlice();
    else this.fail('unexpected character in brackets ' + JSON.stringify(c));
    this.skipSpaces();
    if (this.peek() !== ']') this.fail('expected ]');
    this.pos++;
    return seg;
  }

  readQuotedString(): string {
    const quote = this.peek();
    this.pos++;
    let out = '';
    for (;;) {
      if (this.atEnd()) this.fail('unterminated string');
      const c = this.peek();
      if (c === '\\') {
        const n = this.peek(1);
        out += n === quote || n === '\\' ? n : '\\' + n;
        this.pos += 2;
        continue;
      }
      this.pos++;
      if (c === quote) return out;
      out += c;
    }
  }

  readQuotedProperties(): Segment {
    const names: string[] = [];
    for (;;) {
      this.skipSpaces();
      if (this.peek() !== "'" && this.peek() !== '"') this.fail('expected a quoted property name');
      names.push(this.readQuotedString());
      this.skipSpaces();
      if (this.peek() === ',') { this.pos++; continue; }
      return { kind: 'property', names };
    }
  }

  readIndexOrSlice(): Segment {
    const start = this.pos;
    while (!this.atEnd() && this.peek() !== ']') this.pos++;
    const text = this.s.slice(start, this.pos);
    // Java's Integer.parseInt: an int, or the path is invalid.
    const int = (t: string) => {
      if (!/^-?\d+$/.test(t) || Number(t) < -2147483648 || Number(t) > 2147483647) this.fail('bad array index ' + JSON.stringify(t));
      return Number(t);
    };
    if (text.includes(':')) {
      // ArraySliceOperation.parse: digits, '-' and ':' only; split(":") drops trailing empty parts
      // and reads the first two, so a step (`[1:3:2]`) is accepted and ignored, as Jayway does.
      if (!/^[-0-9:]*$/.test(text)) this.fail('bad array slice ' + JSON.stringify(text));
      const parts = text.split(':');
      while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
      const [from, to] = [parts[0] ?? '', parts[1] ?? ''];
      if (from === '' && to === '') this.fail('bad array slice ' + JSON.stringify(text));
      return { kind: 'slice', start: from === '' ? null : int(from), end: to === '' ? null : int(to) };
    }
    return { kind: 'index', indices: text.replace(/\s+/g, '').split(',').map(int) };
  }

  readFilter(): Segment {
    this.pos++; // ?
    this.skipSpaces();
    if (this.peek() !== '(') this.fail('expected ( after ?');
    this.pos++;
    const expr = this.readOr();
    this.skipSpaces();
    if (this.peek() !== ')') this.fail('expected ) to close the filter');
    this.pos++;
    return { kind: 'filter', expr };
  }

  /** `a || b` over `&&` terms, left-associative. */
  readOr(): FilterExpr {
    return this.readBinary('||', 'or', () => this.readAnd());
  }

  readAnd(): FilterExpr {
    return this.readBinary('&&', 'and', () => this.readUnary());
  }

  private readBinary(op: string, kind: 'or' | 'and', operand: () => FilterExpr): FilterExpr {
    let left = operand();
    for (;;) {
      this.skipSpaces();
      if (!this.s.startsWith(op, this.pos)) return left;
      this.pos += op.length;
      left = { kind, left, right: operand() };
    }
  }

  readUnary(): FilterExpr {
    this.skipSpaces();
    if (this.peek() === '!' && this.peek(1) !== '=') {
      this.pos++;
      return { kind: 'not', expr: this.readUnary() };
    }
    if (this.peek() === '(') {
      this.pos++;
      const e = this.readOr();
      this.skipSpaces();
      if (this.peek() !== ')') this.fail('expected )');
      this.pos++;
      return e;
    }
    const left = this.readOperand();
    this.skipSpaces();
    const op = this.readOperator();
    if (op === null) {
      if (left.kind !== 'path') this.fail('a filter needs a comparison or a path');
      return { kind: 'exists', operand: left };
    }
    const right = this.readOperand();
    return { kind: 'compare', op, left, right };
  }

  readOperator(): RelationalOp | null {
    for (const op of OPS) if (this.s.startsWith(op, this.pos)) { this.pos += op.length; this.skipSpaces(); return op; }
    for (const op of WORD_OPS) {
      if (this.s.startsWith(op, this.pos) && !/[A-Za-z]/.test(this.peek(op.length))) {
        this.pos += op.length;
        this.skipSpaces();
        return op;
      }
    }
    return null;
  }

  readOperand(): Operand {
    this.skipSpaces();
    const c = this.peek();
    if (c === '@' || c === '$') return { kind: 'path', path: this.readPath() };
    if (c === "'" || c === '"') return { kind: 'literal', value: this.readQuotedString() };
    if (c === '/') return this.readRegex();
    if (c === '[' || c === '{') return { kind: 'literal', value: this.readJsonLiteral() };
    const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null)/.exec(this.s.slice(this.pos));
    if (!m) this.fail('expected a value');
    this.pos += m[0].length;
    // A number literal keeps its text: Jayway reads it as `new BigDecimal(text)` (`1e0` is "1").
    return { kind: 'literal', value: /^-?\d/.test(m[0]) ? rawNumber(m[0]) : parseJson(m[0]) };
  }

  readRegex(): Operand {
    const start = ++this.pos;
    while (!this.atEnd() && this.peek() !== '/') this.pos += this.peek() === '\\' ? 2 : 1;
    if (this.atEnd()) this.fail('unterminated regex');
    const source = this.s.slice(start, this.pos);
    this.pos++;
    const flagStart = this.pos;
    while (/[a-z]/.test(this.peek())) this.pos++;
    const flags = this.s.slice(flagStart, this.pos);
    try {
      // Jayway's =~ uses Matcher.matches(): the whole string must match.
      return { kind: 'regex', regex: compileJavaRegex(source, { flags: flags.replace(/[^ims]/g, ''), whole: true }), source };
    } catch (e) {
      if (e instanceof JavaRegexError) this.fail(e.message);
      throw e;
    }
  }

  readJsonLiteral(): JsonValue {
    const open = this.peek();
    const close = open === '[' ? ']' : '}';
    let depth = 0;
    const start = this.pos;
    let quote = '';
    for (; !this.atEnd(); this.pos++) {
      const c = this.peek();
      if (quote) {
        if (c === '\\') this.pos++;
        else if (c === quote) quote = '';
        continue;
      }
      if (c === "'" || c === '"') quote = c;
      else if (c === open) depth++;
      else if (c === close && --depth === 0) { this.pos++; break; }
    }
    const text = this.s.slice(start, this.pos).replace(/'((?:[^'\\]|\\.)*)'/g, (_, body: string) => JSON.stringify(body.replace(/\\'/g, "'")));
    try {
      return parseJson(text);
    } catch {
      this.fail('bad JSON literal ' + text);
    }
  }
}
