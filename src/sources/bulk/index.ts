/** Every built-in bulk connector, by psoxy id (the bulk functions' `SOURCE`, `psoxy bulk --rules`). */
import type { BulkConnector } from '../catalogue/connector.ts';
import { AI_USAGE_BULK_CONNECTORS } from './ai-usage.ts';
import { CSV_IMPORT_CONNECTORS } from './csv-imports.ts';
import { GONG_BULK_CONNECTORS } from './gong.ts';
import { GLEAN_BULK_CONNECTORS } from './glean.ts';
import { GEMINI_USAGE_BULK_CONNECTORS } from './gemini-usage.ts';
import { MIRO_BULK_CONNECTORS } from './miro.ts';
import { SLACK_BULK_CONNECTORS } from './slack.ts';
import { WORKDATA_GENERIC_CONNECTORS } from './workdata-generic.ts';
import { ZOOM_AI_METRICS } from '../zoom/ai-metrics.ts';

export const BULK_CONNECTORS: readonly BulkConnector[] = [ZOOM_AI_METRICS, ...CSV_IMPORT_CONNECTORS, ...SLACK_BULK_CONNECTORS, ...WORKDATA_GENERIC_CONNECTORS, ...AI_USAGE_BULK_CONNECTORS, ...MIRO_BULK_CONNECTORS, ...GONG_BULK_CONNECTORS, ...GLEAN_BULK_CONNECTORS, ...GEMINI_USAGE_BULK_CONNECTORS];
