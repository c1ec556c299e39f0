/** A connector's doc page, generated from its catalogue entry (`npm run docs` writes docs/connectors/). */
import type { Connector } from './connector.ts';

export function connectorDoc(c: Connector): string {
  const prefix = `PSOXY_${c.id.toUpperCase().replace(/-/g, '_')}_`;
  const settings = Object.entries(c.settings).map(([k, v]) => `| \`${k}\` | \`${v}\` |`);
  const variants = Object.keys(c.rules).map((v) => `\`${c.id}${v}\``);
  return [
    `# ${c.name} (\`${c.id}\`)`,
    '',
    '<!-- Generated from src/sources/catalogue by `npm run docs`; edit the catalogue, not this file. -->',
    '',
    '## What to create at the provider',
    '',
    c.setup,
    ...(c.caveats ? ['', `**Plan or licence:** ${c.caveats}`] : []),
    '',
    '## What to fill',
    '',
    'In the host platform\'s secret store (AWS SSM Parameter Store / GCP Secret Manager), or in env for `psoxy serve`:',
    '',
    ...c.secrets.map((s) => `- \`${prefix}${s}\``),
    '',
    '## Settings (defaults; any can be overridden)',
    '',
    '| Setting | Default |',
    '|---|---|',
    ...settings,
    '',
    '## Calls made',
    '',
    ...c.examples.map((e) => `- ${e.name}: \`${e.method ?? 'GET'} ${e.path}\``),
    '',
    '## What comes out',
    '',
    c.sanitizes,
    '',
    `Rules: ${variants.join(', ')} (\`psoxy rules check ${c.id}\` prints them; \`psoxy serve --source ${c.id}\` uses them).`,
    '',
  ].join('\n');
}
