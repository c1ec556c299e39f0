/** Java `String` behaviours the transforms must reproduce exactly. */

/** `String.trim()`: strips every char ≤ U+0020 at both ends. */
export function javaTrim(s: string): string {
  let a = 0, b = s.length;
  while (a < b && s.charCodeAt(a) <= 0x20) a++;
  while (b > a && s.charCodeAt(b - 1) <= 0x20) b--;
  return s.slice(a, b);
}

/** Blank per Java's `String.isBlank()` (whitespace only). */
export const isBlank = (s: string) => /^[\s\u001c-\u001f]*$/.test(s);

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
