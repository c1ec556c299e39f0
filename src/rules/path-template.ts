/** psoxy's OpenAPI-style `pathTemplate` → (Java) regex conversion. */

export function templateToRegex(template: string): string {
  let r = template.replace(/\{([A-Za-z][A-Za-z0-9]*)\?\}/g, '\u0000$1\u0001');
  r = r.replace(/[.^$<>*+[\]()\-=?!]/g, '\\$&');
  r = r.replace(/\{([A-Za-z][A-Za-z0-9]*)\}/g, '(?<$1>[^/]+)');
  r = r.replace(/\u0000([A-Za-z][A-Za-z0-9]*)\u0001/g, '(?<$1>[^/]*)');
  return '^' + r + '$';
}
