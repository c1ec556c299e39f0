/**
 * A JSON text's shape, read before it is parsed: bytes bound memory poorly (16 MiB of `{},`
 * parses into ~2 GB of objects, and deep nesting exhausts the stack of any recursive walk), so
 * values and nesting are counted first, in one pass that allocates nothing.
 */

/** Nesting no real document needs (Jackson's default limit), and what stays within every recursive walk. */
export const MAX_JSON_DEPTH = 1000;

export interface JsonBudget {
  /** Most values (objects, arrays, strings, numbers, literals) in the whole text. */
  maxValues: number;
  /** Deepest nesting of objects and arrays (Jackson's default limit is 1000). */
  maxDepth: number;
}

/** Why the text exceeds the budget, or null. Counts over-estimate on malformed text (fine: the parser refuses it). */
export function jsonBudgetProblem(text: string, budget: JsonBudget): string | null {
  let values = 0;
  let depth = 0;
  let afterValueStart = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    switch (c) {
      case 34: { // a string: jump to its closing quote
        values++;
        let end = text.indexOf('"', i + 1);
        while (end !== -1 && isEscaped(text, end)) end = text.indexOf('"', end + 1);
        if (end === -1) return null; // unterminated: the parser refuses it
        i = end;
        afterValueStart = true;
        break;
      }
      case 123: // {
      case 91: // [
        values++;
        if (++depth > budget.maxDepth) return `nesting deeper than ${budget.maxDepth}`;
        afterValueStart = false;
        break;
      case 125: // }
      case 93: // ]
        depth--;
        afterValueStart = true;
        break;
      case 44: // ,
      case 58: // :
        afterValueStart = false;
        break;
      case 32: case 10: case 13: case 9:
        break;
      default:
        // A number or literal: counted at its first character.
        if (!afterValueStart) values++;
        afterValueStart = true;
    }
    if (values > budget.maxValues) return `more than ${budget.maxValues} JSON values`;
  }
  return null;
}

/** An odd number of backslashes before `i`. */
function isEscaped(text: string, i: number): boolean {
  let n = 0;
  while (text.charCodeAt(i - 1 - n) === 92) n++;
  return (n & 1) === 1;
}
