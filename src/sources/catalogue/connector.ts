/**
 * One built-in connector (a psoxy `SOURCE`): its settings, what an administrator creates and
 * fills at the provider, its rules (with psoxy's variants), and example calls that the generic
 * simulator answers with provider-shaped data. The CLI, the proxy, the docs and the tests read
 * every connector from this one shape.
 */
import type { FakeOrg } from './fake-org.ts';

export interface ExampleCall {
  /** What it is, as the provider's API reference names it. */
  name: string;
  method?: 'GET' | 'POST';
  /** A concrete path (and query) the rules allow, e.g. `/calendar/v3/calendars/primary/events`. */
  path: string;
  /** JSON request body, for POST calls. */
  body?: unknown;
  /** The provider-shaped answer, with personal data in every field a real one carries. */
  response(org: FakeOrg): unknown;
}

export interface Connector {
  /** psoxy's `SOURCE` id (`gcal`, `msft-teams`, …): what `--source`, `--rules` and Terraform take. */
  id: string;
  /** Human name, e.g. `Google Calendar`. */
  name: string;
  /** psoxy's docs folder / family, e.g. `google-workspace`. */
  family: string;
  /** Default settings (psoxy's for this SOURCE): TARGET_HOST, the auth strategy and its settings. */
  settings: Record<string, string>;
  /** What the administrator fills, by psoxy's property name (`CLIENT_SECRET`, `SERVICE_ACCOUNT_KEY`…). */
  secrets: readonly string[];
  /**
   * The stored names (filled by the administrator or written by the runtime: `ACCESS_TOKEN`, a
   * rotated `REFRESH_TOKEN`) that psoxy's AWS Terraform keeps in Secrets Manager when
   * `secrets_store_implementation = "aws_secrets_manager"` (its `sensitive` flag); every other one
   * stays in SSM Parameter Store, and so does the `OAUTH_REFRESH_TOKEN` lock. psoxy's flags for
   * psoxy's connectors (worklytics-connector-specs), every credential value for ours. The runtime's
   * split store and the Terraform modules (connectors.json) both read this.
   */
  sensitive: readonly string[];
  /** What to create at the provider and which scopes or permissions to grant. */
  setup: string;
  /** Plan or licence caveats from the provider's docs. */
  caveats?: string;
  /** What the rules pseudonymize and redact, in a sentence. */
  sanitizes: string;
  /** Rules YAML by variant: '' for the default, and psoxy's suffixes (`_no-app-ids`, `_no-userIds`…). */
  rules: Readonly<Record<string, string>>;
  /** Calls the generic simulator answers and the demo makes. */
  examples: readonly ExampleCall[];
  /** psoxy conformance connectors (`google-workspace/calendar`) whose cases these rules must pass, by rules variant. */
  conformance: Readonly<Record<string, string>>;
  /**
   * Other names that select this connector wherever its id does: psoxy's Terraform connector key
   * where it differs from the `SOURCE` (`slack-discovery-api` for `slack`) and ids psoxy renamed.
   * No alias is any connector's id, API or bulk (test/connector-aliases.test.ts).
   */
  aliases?: readonly string[];
}

/** An example input file for a bulk connector, generated from a fake organisation. */
export interface BulkExample {
  /** The object key it is dropped under, e.g. `export-20260101/users.ndjson.gz` (picks the fileRules). */
  objectPath: string;
  /**
   * The file's text. Personal values it carries beyond the people's emails, names and phones are
   * recorded with `personalText`; `kept` lists non-personal values that must come out unchanged.
   */
  generate(org: FakeOrg): { text: string; kept: string[] };
}

/**
 * A bulk connector (psoxy's `bulk_connectors`): files dropped in an input bucket are sanitized by
 * its rules into the output bucket. The bulk functions' `SOURCE`, `psoxy bulk --rules` and
 * `psoxy rules list` take its id. A sibling of `Connector`: it has no host, auth or calls.
 */
export interface BulkConnector {
  id: string;
  name: string;
  /** psoxy's docs folder / family, e.g. `hris`, `slack`. */
  family: string;
  /** What file to drop where (format, columns or records, object key). */
  input: string;
  /** What the rules pseudonymize and redact, and what passes through. */
  sanitizes: string;
  /** Bulk rules YAML (columnar, record or fileRules), written by us. */
  rules: string;
  examples: readonly BulkExample[];
  /** psoxy conformance connectors (`slack/discovery-bulk`) whose bulk cases these rules must pass. */
  conformance: readonly string[];
  /** Other names that select it (psoxy's Terraform keys and older ids), as `Connector.aliases`. */
  aliases?: readonly string[];
}
