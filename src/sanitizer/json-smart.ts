/**
 * JSON text as Jayway JsonPath's default provider (json-smart) writes a document it parsed:
 * `DocumentContext.jsonString()` uses json-smart's `LT_COMPRESS` style. psoxy re-serializes
 * embedded JSON documents this way (augments with `innerJsonPath`).
 */
import { isJsonNumber, orderedKeys, type JsonValue } from '../json/json.ts';

const HEX = '0123456789ABCDEF';

/**
 * json-smart's `ESCAPE_LT`: `"` `\` and `\b \t \n \f \r` as short escapes; the other C0 controls,
 * U+007F–U+009F and U+2000–U+20FF as upper-case `\uXXXX`; `/` and everything else as is.
 */
function escapeLt(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 0x22: out += '\\"'; break;
      case 0x5c: out += '\\\\'; break;
      case 0x08: out += '\\b'; break;
      case 0x09: out += '\\t'; break;
      case 0x0a: out += '\\n'; break;
      case 0x0c: out += '\\f'; break;
      case 0x0d: out += '\\r'; break;
      default:
        if (c <= 0x1f || (c >= 0x7f && c <= 0x9f) || (c >= 0x2000 && c <= 0x20ff)) {
          out += '\\u' + HEX[(c >> 12) & 15] + HEX[(c >> 8) & 15] + HEX[(c >> 4) & 15] + HEX[c & 15];
        } else {
          out += s[i];
        }
    }
  }
  return out;
}

/** Compact JSON in json-smart's `LT_COMPRESS` style (numbers keep their Java text). */
export function jsonSmartString(v: JsonValue): string {
  if (v === null || typeof v === 'boolean' || isJsonNumber(v)) return JSON.stringify(v);
  if (typeof v === 'string') return '"' + escapeLt(v) + '"';
  if (Array.isArray(v)) return '[' + v.map(jsonSmartString).join(',') + ']';
  // Input order (json-smart's ordered reader), without keys a transform deleted.
  return '{' + orderedKeys(v).map((k) => '"' + escapeLt(k) + '":' + jsonSmartString(v[k])).join(',') + '}';
}
