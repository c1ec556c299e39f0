/** Small builders for the rules YAML that catalogue connectors write as template strings. */

/** A YAML flow list of double-quoted strings (JSONPaths, query parameter names). */
export const list = (xs: readonly string[]) => `[${xs.map((x) => `"${x}"`).join(', ')}]`;

/** A redact transform, indented as an item of an endpoint's `transforms`. */
export const redact = (paths: readonly string[]) => `
      - !<redact>
        jsonPaths: ${list(paths)}`;

/** A pseudonymize transform (URL-safe tokens), indented as an item of an endpoint's `transforms`. */
export const pseudonymize = (paths: readonly string[]) => `
      - !<pseudonymize>
        jsonPaths: ${list(paths)}
        encoding: URL_SAFE_TOKEN`;

/** A pseudonymize transform whose tokens the proxy can reverse (ids Worklytics sends back in later calls). */
export const pseudonymizeReversible = (paths: readonly string[]) => `${pseudonymize(paths)}
        includeReversible: true`;

/** A hashIp transform (IP addresses become hashes), indented as an item of an endpoint's `transforms`. */
export const hashIp = (paths: readonly string[]) => `
      - !<hashIp>
        jsonPaths: ${list(paths)}`;

/** A tokenize transform (reversible tokens that compare equal, e.g. branch names), indented as an item of an endpoint's `transforms`. */
export const tokenize = (paths: readonly string[]) => `
      - !<tokenize>
        jsonPaths: ${list(paths)}`;
