/**
 * Small builders for the Microsoft 365 rules YAML: each connector states its endpoints and
 * transforms in TypeScript (variant flags choose the parts) and these print them in one compact
 * flow style, so the variants share one source instead of near-identical files.
 */
import { schema } from '../catalogue/response-schema.ts';

const list = (xs: readonly string[]) => `[${xs.map((x) => JSON.stringify(x)).join(', ')}]`;

export const redact = (...paths: string[]) => `!<redact> { jsonPaths: ${list(paths)} }`;

export function pseudonymize(paths: readonly string[], options: { reversible?: boolean; encoding?: 'URL_SAFE_TOKEN' | 'JSON' } = {}): string {
  const extra = [
    options.reversible ? 'includeReversible: true' : '',
    `encoding: ${options.encoding ?? 'URL_SAFE_TOKEN'}`,
  ].filter(Boolean);
  return `!<pseudonymize> { jsonPaths: ${list(paths)}, ${extra.join(', ')} }`;
}

/** Reversible token (`p~…`) of the whole value, or of a regex's first group inside it. */
export const tokenize = (paths: readonly string[], regex?: string) =>
  `!<tokenize> { jsonPaths: ${list(paths)}${regex ? `, regex: ${JSON.stringify(regex)}` : ''} }`;

export const pseudonymizeRegexMatches = (paths: readonly string[], regex: string) =>
  `!<pseudonymizeRegexMatches> { jsonPaths: ${list(paths)}, regex: ${JSON.stringify(regex)} }`;

export const redactRegexMatches = (paths: readonly string[], redactions: readonly string[]) =>
  `!<redactRegexMatches> { jsonPaths: ${list(paths)}, redactions: ${list(redactions)} }`;

export const redactExceptPhrases = (paths: readonly string[], phrases: readonly string[]) =>
  `!<redactExceptPhrases> { jsonPaths: ${list(paths)}, allowedPhrases: ${list(phrases)} }`;

export const filterTokenByRegex = (paths: readonly string[], delimiter: string, filters: readonly string[]) =>
  `!<filterTokenByRegex> { jsonPaths: ${list(paths)}, delimiter: ${JSON.stringify(delimiter)}, filters: ${list(filters)} }`;

/** A textDigest augment: `+<leaf>:textDigest` (length, word count, keywords found) beside each match. */
export const textDigest = (paths: readonly string[], keywords: readonly string[]) =>
  `!<textDigest> { jsonPaths: ${list(paths)}, keywords: ${list(keywords)} }`;

export interface GraphEndpoint {
  /** What it is (printed as a comment). */
  about: string;
  pathRegex?: string;
  pathTemplate?: string;
  /** Allowed query parameters; absent means any. */
  params?: readonly string[];
  headers?: readonly string[];
  /** Run before the schema filter and the transforms. */
  augments?: readonly string[];
  transforms: readonly string[];
  /** The fields kept (psoxy's `responseSchema`; `$ref`s to the rules' `definitions`). */
  responseSchema?: object;
}

export function rulesYaml(endpoints: readonly GraphEndpoint[], definitions?: Record<string, object>): string {
  const blocks = endpoints.map((e) => [
    `  # ${e.about}`,
    e.pathRegex !== undefined ? `  - pathRegex: ${JSON.stringify(e.pathRegex)}` : `  - pathTemplate: ${JSON.stringify(e.pathTemplate)}`,
    ...(e.params ? [`    allowedQueryParams: ${list(e.params)}`] : []),
    ...(e.headers ? [`    allowedRequestHeaders: ${list(e.headers)}`] : []),
    ...(e.augments ? ['    augments:', ...e.augments.map((a) => `      - ${a}`)] : []),
    '    transforms:',
    ...e.transforms.map((t) => `      - ${t}`),
    ...(e.responseSchema ? [`    responseSchema: ${JSON.stringify(e.responseSchema)}`] : []),
  ].join('\n'));
  const defs = definitions ? Object.entries(definitions).map(([name, d]) => `  ${name}: ${JSON.stringify(d)}\n`).join('') : '';
  return `endpoints:\n${blocks.join('\n')}\n${defs ? `definitions:\n${defs}` : ''}`;
}

/** Graph's paging links carry the user id in their path: tokenized where ids are pseudonymized. */
export const USER_LINK = '^https://graph.microsoft.com/v1.0/users/([a-zA-Z0-9_-]+)/.*$';
export const PAGING_LINKS = "$.['@odata.nextLink', '@odata.prevLink', 'sessions@odata.nextLink']";
export const ODATA_CONTEXT = "$..['@odata.context']";

/** A Graph collection page keeping the paging links and `value` items of the named definition. */
export const graphPage = (item: string) =>
  schema({ '@microsoft.graph.hasMoreData': 'b', '@odata.deltaLink': 's', '@odata.nextLink': 's', value: [`#${item}`] });

/**
 * Graph's identity and identitySet as the schema keeps them: ids, tenant and the email to
 * pseudonymize; names are dropped. psoxy's set also keeps `phone`, whose id is a phone number: not here.
 */
export const IDENTITY_DEFINITIONS: Record<string, object> = {
  Identity: schema({ email: 's', id: 's', tenantId: 's' }),
  IdentitySet: schema(Object.fromEntries(
    ['application', 'applicationInstance', 'conversation', 'conversationIdentityType', 'device', 'encrypted', 'guest', 'onPremises', 'user']
      .map((k) => [k, '#Identity' as const]),
  )),
};
