/** Rules YAML is built from lists here: a JSON array is a valid YAML flow sequence. */
export const yamlList = (xs: readonly string[]): string => JSON.stringify(xs);

/** JSONPaths for `fields` of the object at `prefix` (`$` for one resource, `$.users[*]` for each in a list). */
export const under = (prefix: string, fields: readonly string[]): string[] => fields.map((f) => `${prefix}.${f}`);
