/** `claude_admin_api_key`: Anthropic's Admin API takes the admin key in `x-api-key` (psoxy: ADMIN_API_KEY, trimmed). */
import type { StrategyDefinition } from './strategies.ts';

export const claudeAdminApiKey: StrategyDefinition = {
  required: async () => ['ADMIN_API_KEY'],
  create: async (config) => {
    const headers = { 'x-api-key': (await config.require('ADMIN_API_KEY')).trim() };
    return { headers: async () => headers, afterUnauthorized: async () => null };
  },
};
