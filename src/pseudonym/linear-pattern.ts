/**
 * Regular grammars over ASCII, matched in linear time with the answer a backtracking regex engine
 * gives.
 *
 * psoxy decides what an email is with one large Java regex. A backtracking engine takes
 * exponential time on it for some inputs (runs of optional whitespace and comments between
 * words). Here a grammar is built from combinators and run by a Pike VM: a Thompson-NFA
 * simulation that keeps its threads in priority order. That finds the same match, with the same
 * captures, as Java or JS backtracking (leftmost-first), in O(input length × grammar size).
 * `regExpSource` renders the same grammar for V8's engine: fast paths, and tests that check the
 * VM against a backtracking engine.
 */

export type Pattern =
  /** One UTF-16 unit: ASCII by table, every other unit if `beyondAscii`. */
  | { kind: 'set'; members: Uint8Array; beyondAscii: boolean }
  | { kind: 'seq'; items: Pattern[] }
  | { kind: 'alt'; items: Pattern[] }
  | { kind: 'repeat'; item: Pattern; min: number; max: number; lazy: boolean }
  | { kind: 'capture'; name: string; item: Pattern }
  | { kind: 'atomic'; item: Pattern };

type Part = Pattern | string;

/** A literal string becomes a sequence of one-character sets. */
function pattern(p: Part): Pattern {
  return typeof p === 'string' ? (p.length === 1 ? chars(p) : seq(...[...p].map((c) => chars(c)))) : p;
}

/**
 * One ASCII character from the union of: single characters (strings), inclusive ranges
 * (`[from, to]` as characters or codes) and other sets.
 */
export function chars(...members: (string | [string | number, string | number] | Pattern)[]): Pattern {
  const set = new Uint8Array(128);
  let beyondAscii = false;
  const code = (c: string | number) => (typeof c === 'number' ? c : c.charCodeAt(0));
  for (const m of members) {
    if (typeof m === 'string') for (const c of m) set[code(c)] = 1;
    else if (Array.isArray(m)) set.fill(1, code(m[0]), code(m[1]) + 1);
    else if (m.kind === 'set') {
      m.members.forEach((v, i) => { if (v) set[i] = 1; });
      beyondAscii ||= m.beyondAscii;
    } else throw new Error('chars() takes characters, ranges and sets');
  }
  return { kind: 'set', members: set, beyondAscii };
}

/** One character not in `chars(...members)`: the other ASCII characters and all non-ASCII units. */
export function charsOutside(...members: Parameters<typeof chars>): Pattern {
  const inside = chars(...members) as Extract<Pattern, { kind: 'set' }>;
  return { kind: 'set', members: inside.members.map((v) => 1 - v), beyondAscii: true };
}

export const seq = (...items: Part[]): Pattern => ({ kind: 'seq', items: items.map(pattern) });
/** Alternatives, tried in order. */
export const alt = (...items: Part[]): Pattern => ({ kind: 'alt', items: items.map(pattern) });
/** `{min,max}`, greedy unless `lazy`. */
export const between = (item: Part, min: number, max: number, lazy = false): Pattern => ({ kind: 'repeat', item: pattern(item), min, max, lazy });
export const opt = (item: Part): Pattern => between(item, 0, 1);
/** `??`: tries without the item first. */
export const lazyOpt = (item: Part): Pattern => between(item, 0, 1, true);
export const star = (item: Part): Pattern => between(item, 0, Infinity);
export const plus = (item: Part): Pattern => between(item, 1, Infinity);
export const capture = (name: string, item: Part): Pattern => ({ kind: 'capture', name, item: pattern(item) });
/**
 * `(?>…)`. The VM runs it as a plain group, so use it only where backtracking into the group
 * cannot change the match (tests compare with V8's real atomic groups).
 */
export const atomic = (item: Part): Pattern => ({ kind: 'atomic', item: pattern(item) });

function setSource(members: Uint8Array, beyondAscii: boolean): string {
  const hex = (c: number) => '\\x' + c.toString(16).padStart(2, '0');
  let out = '';
  for (let c = 0; c < 128; c++) {
    if (!members[c]) continue;
    let end = c;
    while (end + 1 < 128 && members[end + 1]) end++;
    out += end === c ? hex(c) : hex(c) + '-' + hex(end);
    c = end;
  }
  return '[' + out + (beyondAscii ? '\\u0080-\\uffff' : '') + ']';
}

/**
 * The grammar as JS regex source (no flags: UTF-16 units); captures become named groups when
 * asked, atomic groups a lookahead and its backreference.
 */
export function regExpSource(p: Pattern, withCaptures = true): string {
  let atomics = 0;
  const src = (q: Pattern): string => {
    switch (q.kind) {
      case 'set': return setSource(q.members, q.beyondAscii);
      case 'seq': return q.items.map(src).join('');
      case 'alt': return '(?:' + q.items.map(src).join('|') + ')';
      case 'capture': return withCaptures ? `(?<${q.name}>${src(q.item)})` : src(q.item);
      case 'atomic': {
        const name = `atomic${atomics++}`;
        return `(?=(?<${name}>${src(q.item)}))\\k<${name}>`;
      }
      case 'repeat': {
        const count = q.max === Infinity ? (q.min === 0 ? '*' : q.min === 1 ? '+' : `{${q.min},}`)
          : q.min === 0 && q.max === 1 ? '?' : `{${q.min},${q.max}}`;
        return '(?:' + src(q.item) + ')' + count + (q.lazy ? '?' : '');
      }
    }
  };
  return src(p);
}

const SET = 0, SPLIT = 1, JUMP = 2, SAVE = 3, MATCH = 4;

/** A successful match: where it ended and what each named capture holds. */
export interface Match {
  end: number;
  group(name: string): string | undefined;
}

/**
 * A compiled grammar: VM instructions and capture slots. `SET` holds its ASCII table in `sets`
 * and whether it takes non-ASCII units in `x`; `SPLIT` prefers `x` to `y`; `SAVE` writes slot `x`.
 */
export class LinearPattern {
  private readonly ops: number[] = [];
  private readonly x: number[] = [];
  private readonly y: number[] = [];
  private readonly sets: (Uint8Array | null)[] = [];
  private readonly slots = new Map<string, number>();
  private readonly visited: Int32Array;
  private generation = 0;
  /** The backtracker's memory of (instruction, position) pairs tried, one bit each. */
  private tried = new Uint32Array(0);

  /**
   * `bitStateLimit`: the most (instruction, position) bits the backtracker may use; longer
   * inputs go to the Pike VM.
   */
  private readonly bitStateLimit: number;

  constructor(grammar: Pattern, bitStateLimit = 1 << 22) {
    this.bitStateLimit = bitStateLimit;
    this.emitPattern(grammar);
    this.emit(MATCH);
    this.visited = new Int32Array(this.ops.length);
  }

  private emit(op: number, x = -1, y = -1, set: Uint8Array | null = null): number {
    this.ops.push(op);
    this.x.push(x);
    this.y.push(y);
    this.sets.push(set);
    return this.ops.length - 1;
  }

  private emitPattern(p: Pattern): void {
    switch (p.kind) {
      case 'set': this.emit(SET, p.beyondAscii ? 1 : 0, -1, p.members); return;
      case 'atomic': this.emitPattern(p.item); return;
      case 'seq': for (const item of p.items) this.emitPattern(item); return;
      case 'alt': {
        const exits: number[] = [];
        p.items.forEach((item, i) => {
          const split = i < p.items.length - 1 ? this.emit(SPLIT, this.ops.length + 1) : -1;
          this.emitPattern(item);
          if (split < 0) return;
          exits.push(this.emit(JUMP));
          this.y[split] = this.ops.length;
        });
        for (const j of exits) this.x[j] = this.ops.length;
        return;
      }
      case 'capture': {
        let slot = this.slots.get(p.name);
        if (slot === undefined) this.slots.set(p.name, (slot = this.slots.size * 2));
        this.emit(SAVE, slot);
        this.emitPattern(p.item);
        this.emit(SAVE, slot + 1);
        return;
      }
      case 'repeat': {
        for (let i = 0; i < p.min; i++) this.emitPattern(p.item);
        // Each optional copy is a SPLIT between "one more" and "stop", in the quantifier's order.
        const choose = (split: number, more: number, stop: number) => {
          this.x[split] = p.lazy ? stop : more;
          this.y[split] = p.lazy ? more : stop;
        };
        if (p.max === Infinity) {
          const split = this.emit(SPLIT);
          this.emitPattern(p.item);
          this.emit(JUMP, split);
          choose(split, split + 1, this.ops.length);
          return;
        }
        const splits: number[] = [];
        for (let i = p.min; i < p.max; i++) {
          splits.push(this.emit(SPLIT));
          this.emitPattern(p.item);
        }
        splits.forEach((split) => choose(split, split + 1, this.ops.length));
        return;
      }
    }
  }

  /**
   * Matches from `start`: to the end of `s` (Java `matches()`), or the prefix backtracking
   * would pick (Java `lookingAt()` on a region starting at `start`).
   */
  match(s: string, start: number, whole: boolean): Match | null {
    const found = this.ops.length * (s.length - start + 1) <= this.bitStateLimit
      ? this.backtrack(s, start, whole)
      : this.simulate(s, start, whole);
    if (found === null) return null;
    const { end, caps } = found;
    return {
      end,
      group: (name) => {
        const slot = this.slots.get(name);
        return slot === undefined || caps[slot] < 0 || caps[slot + 1] < 0 ? undefined : s.slice(caps[slot], caps[slot + 1]);
      },
    };
  }

  /** Whether instruction `pc` (a `SET`) takes the unit at `pos`. */
  private takes(pc: number, s: string, pos: number): boolean {
    if (pos >= s.length) return false;
    const c = s.charCodeAt(pos);
    return c < 128 ? this.sets[pc]![c] === 1 : this.x[pc] === 1;
  }

  /**
   * Backtracking in priority order that never tries an (instruction, position) twice: a second
   * visit could only fail as the first did, since captures do not change what matches later.
   * Usually follows one path; O(instructions × positions) at worst, in bits of memory.
   */
  private backtrack(s: string, start: number, whole: boolean): { end: number; caps: Int32Array } | null {
    const width = s.length - start + 1;
    const words = (this.ops.length * width + 31) >>> 5;
    if (this.tried.length < words) this.tried = new Uint32Array(words);
    else this.tried.fill(0, 0, words);
    const caps = new Int32Array(this.slots.size * 2).fill(-1);
    // Pending alternatives (pc, pos) and capture restores (~slot, old value), popped in order.
    const stack: number[] = [0, start];
    while (stack.length > 0) {
      const b = stack.pop()!;
      let a = stack.pop()!;
      if (a < 0) { caps[~a] = b; continue; }
      for (let pos = b; ;) {
        const bit = a * width + pos - start;
        if (this.tried[bit >>> 5] & (1 << (bit & 31))) break;
        this.tried[bit >>> 5] |= 1 << (bit & 31);
        const op = this.ops[a];
        if (op === SET) {
          if (!this.takes(a, s, pos)) break;
          a++;
          pos++;
        } else if (op === JUMP) a = this.x[a];
        else if (op === SPLIT) {
          stack.push(this.y[a], pos);
          a = this.x[a];
        } else if (op === SAVE) {
          stack.push(~this.x[a], caps[this.x[a]]);
          caps[this.x[a]] = pos;
          a++;
        } else if (!whole || pos === s.length) return { end: pos, caps: caps.slice() };
        else break;
      }
    }
    return null;
  }

  /** Adds the thread at `pc` to `list`, following jumps, splits (in priority order) and saves. */
  private follow(list: Thread[], pc: number, caps: Int32Array, pos: number): void {
    if (this.visited[pc] === this.generation) return;
    this.visited[pc] = this.generation;
    switch (this.ops[pc]) {
      case JUMP: this.follow(list, this.x[pc], caps, pos); return;
      case SPLIT:
        this.follow(list, this.x[pc], caps, pos);
        this.follow(list, this.y[pc], caps, pos);
        return;
      case SAVE: {
        const saved = caps.slice();
        saved[this.x[pc]] = pos;
        this.follow(list, pc + 1, saved, pos);
        return;
      }
      default: list.push({ pc, caps });
    }
  }

  /**
   * The Pike VM: all threads advance together, one input unit at a time, in priority order;
   * O(instructions) memory whatever the input's length.
   */
  private simulate(s: string, start: number, whole: boolean): { end: number; caps: Int32Array } | null {
    let current: Thread[] = [];
    this.generation++;
    this.follow(current, 0, new Int32Array(this.slots.size * 2).fill(-1), start);
    let found: { end: number; caps: Int32Array } | null = null;
    for (let i = start; current.length > 0; i++) {
      const next: Thread[] = [];
      this.generation++;
      for (const t of current) {
        if (this.ops[t.pc] === MATCH) {
          if (whole && i < s.length) continue;
          found = { end: i, caps: t.caps };
          break; // threads of lower priority lose to this match
        }
        if (this.takes(t.pc, s, i)) this.follow(next, t.pc + 1, t.caps, i + 1);
      }
      if (i >= s.length) break;
      current = next;
    }
    return found;
  }
}

interface Thread {
  pc: number;
  caps: Int32Array;
}
