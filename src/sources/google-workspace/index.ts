/** psoxy's Google Workspace connectors, all on `gcp_service_account_key` with domain-wide delegation. */
import type { Connector } from '../catalogue/connector.ts';
import { GCAL } from './calendar.ts';
import { GDIRECTORY } from './directory.ts';
import { GMAIL } from './gmail.ts';
import { GOOGLE_MEET } from './meet.ts';
import { GOOGLE_CHAT } from './chat.ts';
import { GEMINI_IN_WORKSPACE_APPS } from './gemini.ts';
import { GDRIVE } from './drive.ts';
import { GDRIVE_LOG } from './drive-log.ts';

export const GOOGLE_WORKSPACE_CONNECTORS: readonly Connector[] = [GCAL, GDIRECTORY, GMAIL, GOOGLE_MEET, GOOGLE_CHAT, GEMINI_IN_WORKSPACE_APPS, GDRIVE, GDRIVE_LOG];
