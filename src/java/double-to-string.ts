/**
 * Java's `Double.toString` as JDK 8–18 print it (`FloatingDecimal`'s binary-to-decimal
 * conversion), which psoxy's corpus shows: not always the shortest digits (`8.41e21` prints
 * `8.409999999999999E21`, `2^58`-range integers print every digit of the long, `4.9E-324`).
 * JDK 19+ prints the shortest form instead; psoxy hashes this text when it pseudonymizes a number.
 *
 * Written from the algorithm's description: digits are generated one at a time from the exact
 * ratio value·10^k as B/S, stopping when the remainder is within half an ULP (M) of either end, with
 * the JDK's choices kept as they are: a symmetric stopping test even below powers of two, at least
 * two digits in E-notation, its exponent estimate, and 32/64-bit arithmetic (with its overflow) when
 * the numbers are small enough for it.
 */

const bits = new DataView(new ArrayBuffer(8));
const EXP_SHIFT = 52;
const FRACT_HOB = 1n << 52n;
const SIGNIF_MASK = FRACT_HOB - 1n;

/** ⌈log2(5^i)⌉ (as the JDK approximates it) for i < 27: picks 32- or 64-bit arithmetic. */
const N_5_BITS = [0, 3, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28, 31, 33, 35, 38, 40, 42, 45, 47, 49, 52, 54, 56, 59, 61];

interface Decimal {
  digits: number[];
  /** Position of the decimal point: value = 0.d1d2… × 10^decExponent. */
  decExponent: number;
}

export function javaDoubleToString(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (!Number.isFinite(d)) return d > 0 ? 'Infinity' : '-Infinity';
  const sign = d < 0 || Object.is(d, -0) ? '-' : '';
  if (d === 0) return sign + '0.0';
  return sign + format(toDecimal(Math.abs(d)));
}

function toDecimal(d: number): Decimal {
  bits.setFloat64(0, d);
  const raw = bits.getBigUint64(0);
  let fractBits = raw & SIGNIF_MASK;
  let binExp = Number(raw >> 52n);
  let nSignificantBits: number;
  if (binExp === 0) {
    // Subnormal: normalize so the high-order bit sits where a normal number's hidden bit is.
    const width = fractBits.toString(2).length;
    fractBits <<= BigInt(53 - width);
    binExp = 1 - (53 - width);
    nSignificantBits = width;
  } else {
    fractBits |= FRACT_HOB;
    nSignificantBits = 53;
  }
  binExp -= 1023;
  return dtoa(binExp, fractBits, nSignificantBits);
}

function trailingZeros(x: bigint): number {
  let n = 0;
  while ((x & 1n) === 0n) { x >>= 1n; n++; }
  return n;
}

function dtoa(binExp: number, fractBits: bigint, nSignificantBits: number): Decimal {
  const tailZeros = trailingZeros(fractBits);
  const nFractBits = EXP_SHIFT + 1 - tailZeros;
  const nTinyBits = Math.max(0, nFractBits - binExp - 1);
  // An integer below 2^63: the digits of the long, less those below the double's precision.
  if (binExp <= 62 && binExp >= -21 && nTinyBits === 0 && nFractBits < 64) {
    const insignificant = binExp > nSignificantBits ? insignificantDigitsOfPow2(binExp - nSignificantBits - 1) : 0;
    const value = binExp >= EXP_SHIFT ? fractBits << BigInt(binExp - EXP_SHIFT) : fractBits >> BigInt(EXP_SHIFT - binExp);
    return longDigits(value, insignificant);
  }

  let decExp = estimateDecExp(fractBits, binExp);
  const B5 = Math.max(0, -decExp);
  let B2 = B5 + nTinyBits + binExp;
  const S5 = Math.max(0, decExp);
  let S2 = S5 + nTinyBits;
  const M5 = B5;
  let M2 = B2 - nSignificantBits;

  fractBits >>= BigInt(tailZeros);
  B2 -= nFractBits - 1;
  const common2 = Math.min(B2, S2);
  B2 -= common2;
  S2 -= common2;
  M2 -= common2;
  // Below an exact power of two the next double down is half as far (the JDK's own "hack").
  if (nFractBits === 1) M2 -= 1;
  if (M2 < 0) {
    B2 -= M2;
    S2 -= M2;
    M2 = 0;
  }

  const Bbits = nFractBits + B2 + (B5 < N_5_BITS.length ? N_5_BITS[B5] : B5 * 3);
  const tenSbits = S2 + 1 + (S5 + 1 < N_5_BITS.length ? N_5_BITS[S5 + 1] : (S5 + 1) * 3);
  const arithmetic = Bbits < 32 && tenSbits < 32 ? INT32 : Bbits < 64 && tenSbits < 64 ? INT64 : EXACT;

  const five = (e: number) => 5n ** BigInt(e);
  let b = arithmetic.wrap((fractBits * five(B5)) << BigInt(B2));
  const s = arithmetic.wrap(five(S5) << BigInt(S2));
  let m = arithmetic.wrap(five(M5) << BigInt(M2));
  const tens = arithmetic.wrap(s * 10n);

  // One digit: q = B / S, B = 10·(B mod S), M = 10·M, then how close B is to either end. The JDK
  // takes an overflowed M (not checked on the first digit) as certainly past both ends.
  let low = false, high = false;
  const nextDigit = (overflowChecked: boolean): number => {
    const q = Number(b / s);
    b = arithmetic.wrap(10n * (b % s));
    m = arithmetic.wrap(m * 10n);
    const overflowed = overflowChecked && arithmetic !== EXACT && m <= 0n;
    low = overflowed || b < m;
    high = overflowed || arithmetic.high(b, m, tens);
    return q;
  };
  const digits: number[] = [];
  const first = nextDigit(false);
  // A leading zero means the exponent estimate was one too high.
  if (first === 0 && !high) decExp--;
  else digits.push(first);
  // E-notation needs a digit after the point, so one digit is never enough there.
  if (decExp < -3 || decExp >= 8) high = low = false;
  while (!low && !high) digits.push(nextDigit(true));

  const result: Decimal = { digits, decExponent: decExp + 1 };
  if (high) {
    // Compare 2·remainder with 10·S: past the midpoint rounds up; a tie rounds to even.
    const lowDigitDifference = low ? arithmetic.compareTwice(b, tens) : 0n;
    if (!low || lowDigitDifference > 0n || (lowDigitDifference === 0n && (digits[digits.length - 1] & 1) !== 0)) roundUp(result);
  }
  return result;
}

interface Arithmetic {
  wrap(x: bigint): bigint;
  /** The "close to the upper bound" test, as each width writes it. */
  high(b: bigint, m: bigint, tens: bigint): boolean;
  /** Sign of 2b − tens. */
  compareTwice(b: bigint, tens: bigint): bigint;
}

const fixedWidth = (width: number): Arithmetic => {
  const wrap = (x: bigint) => BigInt.asIntN(width, x);
  return {
    wrap,
    high: (b, m, tens) => wrap(b + m) > tens,
    compareTwice: (b, tens) => wrap(wrap(b << 1n) - tens),
  };
};
const INT32 = fixedWidth(32);
const INT64 = fixedWidth(64);
const EXACT: Arithmetic = {
  wrap: (x) => x,
  high: (b, m, tens) => b + m >= tens,
  compareTwice: (b, tens) => (b * 2n > tens ? 1n : b * 2n < tens ? -1n : 0n),
};

/** floor(log10(value)) as the JDK estimates it from the binary exponent. */
function estimateDecExp(fractBits: bigint, binExp: number): number {
  bits.setBigUint64(0, (1023n << 52n) | (fractBits & SIGNIF_MASK));
  const d2 = bits.getFloat64(0);
  const d = (d2 - 1.5) * 0.289529654 + 0.176091259 + binExp * 0.301029995663981;
  return Math.floor(d);
}

/** Decimal digits of 2^p beyond the first (the JDK only uses this for 1 < p < 64). */
function insignificantDigitsOfPow2(p: number): number {
  return p > 1 && p < 64 ? (2n ** BigInt(p)).toString().length - 1 : 0;
}

/** Digits of a long, rounded to drop `insignificant` low-order digits, trailing zeros dropped. */
function longDigits(value: bigint, insignificant: number): Decimal {
  if (insignificant !== 0) {
    const pow10 = 10n ** BigInt(insignificant);
    const residue = value % pow10;
    value /= pow10;
    if (residue >= pow10 >> 1n) value++;
  }
  const text = value.toString();
  const digits = [...text.replace(/0+$/, '')].map(Number);
  return { digits, decExponent: text.length + insignificant };
}

function roundUp(r: Decimal): void {
  const ds = r.digits;
  let i = ds.length - 1;
  while (ds[i] === 9 && i > 0) ds[i--] = 0;
  if (ds[i] === 9) {
    // Carry out of the first digit: 1 followed by zeros, one more in the exponent.
    r.decExponent += 1;
    ds[0] = 1;
    return;
  }
  ds[i] += 1;
}

/** Java's layout: plain between 10^-3 and 10^7, else `d.dddE±n`; always a digit after the point. */
function format({ digits, decExponent }: Decimal): string {
  const all = digits.join('');
  if (decExponent > 0 && decExponent < 8) {
    if (digits.length <= decExponent) return all + '0'.repeat(decExponent - digits.length) + '.0';
    return all.slice(0, decExponent) + '.' + all.slice(decExponent);
  }
  if (decExponent <= 0 && decExponent > -3) return '0.' + '0'.repeat(-decExponent) + all;
  const exponent = decExponent - 1;
  return all[0] + '.' + (digits.length > 1 ? all.slice(1) : '0') + 'E' + exponent;
}
