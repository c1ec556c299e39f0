/** psoxy's Microsoft 365 connectors (all on Microsoft Graph, workload identity federation). */
import type { Connector } from '../catalogue/connector.ts';
import { ENTRA_ID } from './entra-id.ts';
import { OUTLOOK_CAL } from './outlook-cal.ts';
import { OUTLOOK_MAIL } from './outlook-mail.ts';
import { MSFT_TEAMS } from './msft-teams.ts';
import { MSFT_ONEDRIVE } from './msft-onedrive.ts';
import { MSFT_COPILOT } from './msft-copilot.ts';

export const MICROSOFT_365_CONNECTORS: readonly Connector[] = [ENTRA_ID, OUTLOOK_CAL, OUTLOOK_MAIL, MSFT_TEAMS, MSFT_ONEDRIVE, MSFT_COPILOT];
