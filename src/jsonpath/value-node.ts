/**
 * Filter comparisons with Jayway JsonPath 2.9's `ValueNode` semantics (`ValueNodes`,
 * `EvaluatorFactory`): the LEFT operand's type decides how `==` converts the right one (a string
 * compares with a number's `BigDecimal` text, a number with a string parsed as `BigDecimal`), numbers
 * compare as exact decimals, arrays and objects as Java collections (`List.equals` / `Map.equals`).
 */
import { isJsonNumber, isJsonObject, javaDoubleToString, numberText, type JsonNumber, type JsonValue } from '../json/json.ts';

export const UNDEFINED = Symbol('undefined');
/** A filter operand: a JSON value, a missing path (`UNDEFINED`) or a regex literal. */
export type Node = JsonValue | typeof UNDEFINED | RegExp;

/** An exact decimal `digits × 10^exponent`, as Java's `BigDecimal` holds it (unscaled, -scale). */
interface Decimal { digits: bigint; exponent: number }

const BIG_DECIMAL_SYNTAX = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** `new BigDecimal(text)`, or null where Java throws NumberFormatException. */
function parseBigDecimal(text: string): Decimal | null {
  const m = BIG_DECIMAL_SYNTAX.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
  const fraction = m[3] ?? '';
  const digits = BigInt(m[1] + (m[2] + fraction || '0'));
  return { digits, exponent: Number(m[4] ?? 0) - fraction.length };
}

/** The Java text of a document number (`Number.toString`), which Jayway turns into a BigDecimal. */
function javaNumberText(n: JsonNumber): string {
  return typeof n === 'number' && !Number.isInteger(n) ? javaDoubleToString(n) : numberText(n);
}

const decimalOf = (n: JsonNumber): Decimal => parseBigDecimal(javaNumberText(n))!;

function compareDecimals(a: Decimal, b: Decimal): number {
  const e = Math.min(a.exponent, b.exponent);
  const x = a.digits * 10n ** BigInt(a.exponent - e);
  const y = b.digits * 10n ** BigInt(b.exponent - e);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `BigDecimal.toString()`: plain when the scale is ≥ 0 and the adjusted exponent ≥ -6, else scientific. */
function bigDecimalText({ digits, exponent }: Decimal): string {
  const sign = digits < 0n ? '-' : '';
  const coeff = (digits < 0n ? -digits : digits).toString();
  const scale = -exponent;
  const adjusted = exponent + coeff.length - 1;
  if (scale === 0) return sign + coeff;
  if (scale > 0 && adjusted >= -6) {
    const point = coeff.length - scale;
    return sign + (point > 0 ? `${coeff.slice(0, point)}.${coeff.slice(point)}` : `0.${'0'.repeat(-point)}${coeff}`);
  }
  const mantissa = coeff.length > 1 ? `${coeff[0]}.${coeff.slice(1)}` : coeff;
  return `${sign}${mantissa}E${adjusted >= 0 ? '+' : ''}${adjusted}`;
}

/** A number's text as Jayway's `NumberNode.asStringNode()` gives it (e.g. `1.0E21` → `1.0E+21`). */
export function numberNodeText(n: JsonNumber): string {
  return bigDecimalText(decimalOf(n));
}

const isContainer = (v: Node): v is JsonValue[] | Record<string, JsonValue> => Array.isArray(v) || isJsonObject(v);

/** Java `Object.equals` over Jackson's parsed values: Integer/Long/BigInteger never equal a Double. */
function javaValueEquals(a: JsonValue, b: JsonValue): boolean {
  if (isJsonNumber(a) && isJsonNumber(b)) {
    const [ta, tb] = [javaNumberText(a), javaNumberText(b)];
    const [da, db] = [/[.eE]/.test(ta), /[.eE]/.test(tb)];
    if (da !== db) return false;
    return da ? Object.is(Number(ta), Number(tb)) : BigInt(ta) === BigInt(tb);
  }
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => javaValueEquals(x, b[i]));
  if (isJsonObject(a)) {
    if (!isJsonObject(b)) return false;
    const keys = Object.keys(a).filter((k) => a[k] !== undefined);
    const other = Object.keys(b).filter((k) => b[k] !== undefined);
    return keys.length === other.length && keys.every((k) => Object.hasOwn(b, k) && b[k] !== undefined && javaValueEquals(a[k], b[k]));
  }
  return a === b;
}

/** `left.equals(right)` of Jayway's value nodes (also what `in`, `contains`, `anyof`… use). */
export function nodeEquals(left: Node, right: Node): boolean {
  if (left === UNDEFINED || right === UNDEFINED || left instanceof RegExp || right instanceof RegExp) return false;
  if (typeof left === 'string') {
    if (typeof right === 'string') return left === right;
    return isJsonNumber(right) && left === numberNodeText(right);
  }
  if (isJsonNumber(left)) {
    const r = typeof right === 'string' ? parseBigDecimal(right) : isJsonNumber(right) ? decimalOf(right) : null;
    return r !== null && compareDecimals(decimalOf(left), r) === 0;
  }
  if (isContainer(left)) return isContainer(right) && javaValueEquals(left, right);
  return left === right; // booleans and null only equal their own kind
}

/** `<`, `<=`, `>`, `>=`: numbers with numbers (exactly), strings with strings; anything else is false. */
export function nodeOrder(left: Node, right: Node): number | null {
  if (isJsonNumber(left) && isJsonNumber(right)) return compareDecimals(decimalOf(left), decimalOf(right));
  if (typeof left === 'string' && typeof right === 'string') return left < right ? -1 : left > right ? 1 : 0;
  return null;
}

/** What `=~` matches against: strings, numbers (BigDecimal text) and booleans; anything else is `""`. */
export function regexInput(v: Node): string {
  if (typeof v === 'string') return v;
  if (isJsonNumber(v)) return numberNodeText(v);
  if (typeof v === 'boolean') return String(v);
  return '';
}

/** `SizeEvaluator`: the right side must be a number (its int value); strings and arrays have a size. */
export function nodeHasSize(left: Node, right: Node): boolean {
  if (!isJsonNumber(right)) return false;
  const { digits, exponent } = decimalOf(right);
  const size = exponent >= 0 ? digits * 10n ** BigInt(exponent) : digits / 10n ** BigInt(-exponent);
  if (typeof left === 'string' || Array.isArray(left)) return BigInt(left.length) === size;
  return isJsonObject(left) && size === -1n; // JsonNode.length() is -1 for an object
}

/** `EmptyEvaluator`: strings and arrays are empty or not; other values never match (objects: see caller). */
export function nodeIsEmpty(left: Node): boolean | null {
  return typeof left === 'string' || Array.isArray(left) ? left.length === 0 : null;
}
