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
}
