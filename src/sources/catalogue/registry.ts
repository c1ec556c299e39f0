/** Every built-in connector, by psoxy `SOURCE` id. Each family's module exports its connectors. */
import type { Connector } from './connector.ts';
import { ASANA_CONNECTORS } from '../asana/index.ts';
import { DROPBOX_BUSINESS_CONNECTORS } from '../dropbox-business/index.ts';

export const CONNECTORS: readonly Connector[] = [
  ...ASANA_CONNECTORS,
  ...DROPBOX_BUSINESS_CONNECTORS,
];

export function connectorById(id: string): Connector | undefined {
  return CONNECTORS.find((c) => c.id === id);
}
