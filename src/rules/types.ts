/** psoxy API rules (`Rules2`), as bound from YAML/JSON. Field names are psoxy's. */

export type PseudonymEncoding = 'URL_SAFE_TOKEN' | 'JSON' | 'URL_SAFE_HASH_ONLY';

interface TransformBase {
  jsonPaths: string[];
  /** JSONPath evaluated against the whole document; the transform runs only when it matches. */
  applyOnlyWhen?: string;
  /** Deprecated; ignored in API mode. */
  fields?: string[];
}

export type Transform =
  | (TransformBase & { type: 'redact' })
  | (TransformBase & { type: 'pseudonymize'; includeReversible: boolean; includeOriginal: boolean; encoding: PseudonymEncoding; onlyIfRegex?: string })
  | (TransformBase & { type: 'pseudonymizeEmailHeader'; encoding: PseudonymEncoding })
  | (TransformBase & { type: 'pseudonymizeRegexMatches'; regex: string; includeReversible: boolean })
  | (TransformBase & { type: 'redactRegexMatches'; redactions: string[] })
  | (TransformBase & { type: 'redactExceptPhrases'; allowedPhrases: string[] })
  | (TransformBase & { type: 'redactExceptSubstringsMatchingRegexes'; exceptions: string[] })
  | (TransformBase & { type: 'filterTokenByRegex'; filters: string[]; delimiter: string | null })
  | (TransformBase & { type: 'tokenize'; regex?: string })
  | (TransformBase & { type: 'hashIp' })
  | (TransformBase & { type: 'encryptIp' })
  | (TransformBase & { type: 'textDigest'; keywords?: string[]; isJsonEscaped: boolean; jsonPathToProcessWhenEscaped?: string });

export type TransformType = Transform['type'];

/**
 * Endpoint augments (psoxy ≥ v0.6.9): computed `+<leaf>:<function>` sibling properties, added
 * before the response-schema filter and the transforms see the document.
 */
interface AugmentBase {
  jsonPaths: string[];
  /** Each match is a JSON string; this path picks the values inside it to augment. */
  innerJsonPath?: string;
  /** psoxy v0.6.9 accepts it and does not check outputs against it (nor do we). */
  outputSchema?: SchemaFilter;
}

export type Augment =
  | (AugmentBase & { type: 'textDigest'; keywords: string[] })
  | (AugmentBase & { type: 'sentenceMetadata'; taxonomy: Record<string, string[]>; hedgeWords: string[]; constraintWords: string[] });

export type AugmentType = Augment['type'];

/** JSON-Schema-like filter applied to responses (`responseSchema`, `definitions`). */
export interface SchemaFilter {
  type?: string;
  properties?: Record<string, SchemaFilter>;
  items?: SchemaFilter;
  $ref?: string;
  format?: string;
  anyOf?: SchemaFilter[];
  if?: SchemaFilter;
  then?: SchemaFilter;
  else?: SchemaFilter;
  const?: string;
  definitions?: Record<string, SchemaFilter>;
}

export interface ParameterSchema {
  type?: 'string' | 'integer' | 'number';
  format?: string;
  pattern?: string;
  enum?: string[];
  anyOf?: ParameterSchema[];
  required?: boolean;
}

/** Request-body JSON schema (psoxy spells `enum` as `enumValues`). */
export interface BodySchema {
  type?: string;
  format?: string;
  properties?: Record<string, BodySchema>;
  items?: BodySchema;
  required?: string[];
  pattern?: string;
  enumValues?: unknown[];
  additionalProperties?: boolean | BodySchema;
}

export interface Endpoint {
  pathTemplate?: string;
  pathRegex?: string;
  pathParameterSchemas?: Record<string, ParameterSchema>;
  allowedQueryParams?: string[];
  queryParamSchemas?: Record<string, ParameterSchema>;
  allowedMethods?: string[];
  allowedRequestHeaders?: string[];
  allowedRequestHeadersToForward?: string[];
  requestBody?: { required?: boolean; content?: Record<string, BodySchema> };
  responseSchema?: SchemaFilter;
  augments?: Augment[];
  transforms: Transform[];
}

export interface ApiRules {
  allowAllEndpoints: boolean;
  allowedRequestHeaders?: string[];
  endpoints: Endpoint[];
  definitions: Record<string, SchemaFilter>;
  /** Problems found at load that psoxy tolerates (reported by `psoxy rules check`). */
  warnings: string[];
}
