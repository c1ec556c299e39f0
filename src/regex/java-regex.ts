/**
 * Java `java.util.regex.Pattern` syntax → JavaScript `RegExp`.
 *
 * psoxy's rules are written for Java regexes. Most of the syntax is shared; this translates the
 * parts that differ (leading inline flags, `\Q…\E`, possessive quantifiers, atomic groups, POSIX
 * classes, `\A`/`\Z`/`\z`) and rejects what cannot be expressed, so a rule never silently means
 * something else.
 */

export class JavaRegexError extends Error {}

const POSIX: Record<string, string> = {
  Lower: 'a-z', Upper: 'A-Z', ASCII: '\\x00-\\x7F', Alpha: 'a-zA-Z', Digit: '0-9',
  Alnum: 'a-zA-Z0-9', Punct: '!-\\/:-@\\[-`{-~', Graph: '!-~', Print: ' -~', Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F', XDigit: '0-9a-fA-F', Space: ' \\t\\n\\x0B\\f\\r',
  L: '\\p{L}', IsAlphabetic: '\\p{Alphabetic}', IsLetter: '\\p{L}', IsDigit: '\\p{Nd}',
};

const escapeLiteral = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

export interface TranslatedRegex {
  source: string;
  flags: string;
}

export function translateJavaRegex(java: string, extraFlags = ''): TranslatedRegex {
  const flags = new Set(extraFlags.split('').filter(Boolean));
  let src = java;
  // Leading inline flags apply to the whole pattern: hoist them to RegExp flags.
  const lead = /^\(\?([idmsux]+)\)/.exec(src);
  if (lead) {
    for (const f of lead[1]) addFlag(flags, f, java);
    src = src.slice(lead[0].length);
  }
  let out = '';
  let inClass = 0;
  let needsUnicode = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined) throw new JavaRegexError(`trailing backslash in regex ${JSON.stringify(java)}`);
      if (n === 'Q') {
        const end = src.indexOf('\\E', i + 2);
        const literal = src.slice(i + 2, end === -1 ? src.length : end);
        out += escapeLiteral(literal);
        i = end === -1 ? src.length : end + 1;
        continue;
      }
      if (n === 'p' || n === 'P') {
        const m = /^\{(?:Is)?([A-Za-z]+)\}/.exec(src.slice(i + 2));
        const name = m?.[1];
        if (m && name !== undefined && POSIX[name] !== undefined) {
          const body = POSIX[name];
          if (body.startsWith('\\p')) needsUnicode = true;
          if (inClass) {
            if (n === 'P') throw new JavaRegexError(`negated class \\P{${name}} inside [] is not supported`);
            out += body;
          } else out += (n === 'P' ? '[^' : '[') + body + ']';
          i += 1 + m[0].length;
          continue;
        }
        needsUnicode = true;
        out += c + n;
        i++;
        continue;
      }
      if (n === 'A') { out += '^'; i++; continue; }
      if (n === 'Z' || n === 'z') { out += '$'; i++; continue; }
      if (n === 'h') { out += inClass ? ' \\t\\xA0' : '[ \\t\\xA0]'; i++; continue; }
      if (n === 'G' || n === 'R' || n === 'X') throw new JavaRegexError(`\\${n} is not supported in regex ${JSON.stringify(java)}`);
      out += c + n;
      i++;
      continue;
    }
    if (inClass) {
      if (c === '[') {
        if (src[i + 1] === ':') { out += '\\['; continue; }
        throw new JavaRegexError(`nested character classes are not supported in regex ${JSON.stringify(java)}`);
      }
      if (c === '&' && src[i + 1] === '&') throw new JavaRegexError(`class intersection && is not supported in regex ${JSON.stringify(java)}`);
      if (c === ']') inClass = 0;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = 1;
      out += c;
      // A `]` right after `[` or `[^` is a literal in Java.
      if (src[i + 1] === '^') { out += '^'; i++; }
      if (src[i + 1] === ']') { out += '\\]'; i++; }
      continue;
    }
    if (c === '(' && src[i + 1] === '?') {
      if (src[i + 2] === '>') { out += '(?:'; i += 2; continue; }
      if (src[i + 2] === ')') { i += 2; continue; } // `(?)`: an empty flag set
      const inline = /^\(\?([idmsux-]+)(\)|:)/.exec(src.slice(i));
      if (inline) {
        // Java allows flags anywhere; JS supports scoped modifiers `(?i:…)` (Node 23+).
        if (inline[2] === ')') throw new JavaRegexError(`inline flags ${inline[0]} are only supported at the start of regex ${JSON.stringify(java)}`);
        out += inline[0].replace(/[ux]/g, '');
        i += inline[0].length - 1;
        continue;
      }
    }
    if ((c === '+') && i > 0 && /[*+?}]/.test(src[i - 1]) && src[i - 2] !== '\\') {
      continue; // possessive quantifier: same matches for the patterns rules use
    }
    out += c;
  }
  if (needsUnicode) flags.add('u');
  return { source: out, flags: [...flags].join('') };
}

function addFlag(flags: Set<string>, f: string, java: string): void {
  if (f === 'i' || f === 'm' || f === 's') flags.add(f);
  else if (f === 'x') throw new JavaRegexError(`COMMENTS flag (?x) is not supported in regex ${JSON.stringify(java)}`);
  // d (UNIX_LINES) and u (UNICODE_CASE) do not change matching for the inputs we see.
}

/** Compiles a Java regex; `mode` 'find' searches, 'whole' behaves like `Matcher.matches()`. */
export function compileJavaRegex(java: string, options: { flags?: string; whole?: boolean; global?: boolean } = {}): RegExp {
  const t = translateJavaRegex(java, options.flags ?? '');
  const source = options.whole ? `^(?:${t.source})$` : t.source;
  const flags = t.flags + (options.global ? 'g' : '');
  try {
    return new RegExp(source, flags);
  } catch (e) {
    throw new JavaRegexError(`invalid regex ${JSON.stringify(java)}: ${(e as Error).message}`);
  }
}

/** Number of capturing groups in a compiled regex. */
export function groupCount(re: RegExp): number {
  return new RegExp(re.source + '|', re.flags.replace('g', '')).exec('')!.length - 1;
}
