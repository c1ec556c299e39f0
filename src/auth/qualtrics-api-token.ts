/**
 * `qualtrics_api_token`: Qualtrics' v3 API takes a user's API token in the `X-API-TOKEN` header
 * (Account Settings → Qualtrics IDs → API). The token does not expire until regenerated, so a 401
 * is not retried. Setting `API_TOKEN`, trimmed (a pasted token often ends in a newline).
 *
 * Ours: psoxy's connector specs have no Qualtrics API connector (only the bulk `qualtrics`), so
 * the strategy and secret names are ours, for `qualtrics-api` (see src/sources/qualtrics).
 */
import type { StrategyDefinition } from './strategies.ts';

export const qualtricsApiToken: StrategyDefinition = {
  required: async () => ['API_TOKEN'],
  create: async (config) => {
    const headers = { 'X-API-TOKEN': (await config.require('API_TOKEN')).trim() };
    return { headers: async () => headers, afterUnauthorized: async () => null };
  },
};
