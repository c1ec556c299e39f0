/** Java `String` behaviours the transforms must reproduce exactly. */

/** Java regex `\s` without UNICODE_CHARACTER_CLASS: ASCII only (JS `\s` also takes U+00A0, U+3000…). */
export const JAVA_WHITESPACE_RUN = /[ \t\n\x0B\f\r]+/;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The text Java's UTF-8 encoder actually writes: each lone surrogate becomes `?` (its replacement
 * byte), where JS encoders write U+FFFD. psoxy hashes, encrypts and outputs these bytes.
 */
export function javaEncodable(s: string): string {
  return s.isWellFormed() ? s : s.replace(LONE_SURROGATE, '?');
}

/** `String.trim()`: strips every char ≤ U+0020 at both ends. */
export function javaTrim(s: string): string {
  let a = 0, b = s.length;
  while (a < b && s.charCodeAt(a) <= 0x20) a++;
  while (b > a && s.charCodeAt(b - 1) <= 0x20) b--;
  return s.slice(a, b);
}

/**
 * Java `Character.isWhitespace`: Unicode space, line and paragraph separators except the
 * non-breaking ones (U+00A0, U+2007, U+202F), plus tab, LF, VT, FF, CR and U+001C–U+001F.
 * (JS `\s` differs: it counts the non-breaking spaces and U+FEFF, and not U+001C–U+001F.)
 */
function isJavaWhitespace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  return c === 0x1680 || (c >= 0x2000 && c <= 0x200a && c !== 0x2007) || c === 0x2028 || c === 0x2029 || c === 0x205f || c === 0x3000;
}

/** Java's `String.isBlank()`: empty or whitespace only; the blank test of every transform and pseudonym. */
export function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isJavaWhitespace(s.charCodeAt(i))) return false;
  return true;
}

/** `String.split(regex)`: no captured groups in the output, trailing empty strings dropped. */
export function javaSplit(s: string, re: RegExp): string[] {
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
  const out: string[] = [];
  let last = 0;
  for (let m = g.exec(s); m; m = g.exec(s)) {
    if (m[0].length === 0) {
      if (m.index >= s.length) break;
      if (m.index === 0) { g.lastIndex++; continue; }
      out.push(s.slice(last, m.index));
      last = m.index;
      g.lastIndex++;
      continue;
    }
    out.push(s.slice(last, m.index));
    last = m.index + m[0].length;
  }
  out.push(s.slice(last));
  if (out.length === 1) return out;
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}
