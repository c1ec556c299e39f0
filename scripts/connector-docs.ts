/** `npm run docs`: writes docs/connectors/<id>.md for every catalogue connector (API and bulk), and the Terraform modules' connector files. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { BULK_CONNECTORS, CONNECTORS } from '../src/sources/catalogue/registry.ts';
import { bulkConnectorDoc, connectorDoc } from '../src/sources/catalogue/docs.ts';
import { terraformFiles } from './terraform-connectors.ts';

mkdirSync('docs/connectors', { recursive: true });
for (const c of CONNECTORS) writeFileSync(`docs/connectors/${c.id}.md`, connectorDoc(c));
for (const c of BULK_CONNECTORS) writeFileSync(`docs/connectors/${c.id}.md`, bulkConnectorDoc(c));
console.log(`docs/connectors: ${CONNECTORS.length + BULK_CONNECTORS.length} pages`);
for (const [path, text] of Object.entries(terraformFiles())) writeFileSync(path, text);
console.log(`infra/terraform: ${Object.keys(terraformFiles()).join(', ')}`);
