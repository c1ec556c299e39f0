/** Every built-in connector, by psoxy `SOURCE` id. Each family's module exports its connectors. */
import type { Connector } from './connector.ts';
import { GITHUB_CONNECTORS } from '../github/index.ts';
import { SLACK_CONNECTORS } from '../slack/index.ts';
import { ASANA_CONNECTORS } from '../asana/index.ts';
import { DROPBOX_BUSINESS_CONNECTORS } from '../dropbox-business/index.ts';
import { SALESFORCE_CONNECTORS } from '../salesforce/index.ts';
import { ATLASSIAN_CONNECTORS } from '../atlassian/index.ts';
import { MICROSOFT_365_CONNECTORS } from '../microsoft-365/index.ts';
import { GOOGLE_WORKSPACE_CONNECTORS } from '../google-workspace/index.ts';
import { ANTHROPIC_CONNECTORS } from '../anthropic/index.ts';
import { CURSOR_CONNECTORS } from '../cursor/index.ts';
import { WINDSURF_CONNECTORS } from '../windsurf/index.ts';
import { CHATGPT_CONNECTORS } from '../chatgpt/index.ts';
import { GONG_CONNECTORS } from '../gong/index.ts';
import { GITLAB_CONNECTORS } from '../gitlab/index.ts';
import { GLEAN_CONNECTORS } from '../glean/index.ts';
import { QUALTRICS_CONNECTORS } from '../qualtrics/index.ts';

export const CONNECTORS: readonly Connector[] = [
  ...GITHUB_CONNECTORS,
  ...SLACK_CONNECTORS,
  ...ASANA_CONNECTORS,
  ...DROPBOX_BUSINESS_CONNECTORS,
  ...SALESFORCE_CONNECTORS,
  ...ATLASSIAN_CONNECTORS,
  ...MICROSOFT_365_CONNECTORS,
  ...GOOGLE_WORKSPACE_CONNECTORS,
  ...ANTHROPIC_CONNECTORS,
  ...CURSOR_CONNECTORS,
  ...WINDSURF_CONNECTORS,
  ...CHATGPT_CONNECTORS,
  ...GONG_CONNECTORS,
  ...GITLAB_CONNECTORS,
  ...GLEAN_CONNECTORS,
  ...QUALTRICS_CONNECTORS,
];

/** Bulk connectors: files sanitized from an input bucket, by the same ids psoxy's bulk connectors use. */
export { BULK_CONNECTORS } from '../bulk/index.ts';

/** The API connector with this id or alias (`slack-discovery-api` is `slack`). */
export function connectorById(id: string): Connector | undefined {
  return CONNECTORS.find((c) => c.id === id) ?? CONNECTORS.find((c) => c.aliases?.includes(id));
}
