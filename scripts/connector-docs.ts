/** `npm run docs`: writes docs/connectors/<id>.md for every catalogue connector. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { CONNECTORS } from '../src/sources/catalogue/registry.ts';
import { connectorDoc } from '../src/sources/catalogue/docs.ts';

mkdirSync('docs/connectors', { recursive: true });
for (const c of CONNECTORS) writeFileSync(`docs/connectors/${c.id}.md`, connectorDoc(c));
console.log(`docs/connectors: ${CONNECTORS.length} pages`);
