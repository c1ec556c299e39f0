/** A connector's doc page, generated from its catalogue entry (`npm run docs` writes docs/connectors/). */
import type { BulkConnector, Connector } from './connector.ts';
import { generateFakeOrg } from './fake-org.ts';

/** The line naming a connector's aliases, when it has any. */
const aliasesLine = (id: string, aliases: readonly string[] | undefined): string[] =>
  aliases?.length ? [`Also selected by ${aliases.map((a) => `\`${a}\``).join(', ')} (psoxy's name${aliases.length > 1 ? 's' : ''} for it): wherever \`${id}\` is taken, so is each of these.`, ''] : [];

export function connectorDoc(c: Connector): string {
  const prefix = `PSOXY_${c.id.toUpperCase().replace(/-/g, '_')}_`;
  const settings = Object.entries(c.settings).map(([k, v]) => `| \`${k}\` | \`${v}\` |`);
  const variants = Object.keys(c.rules).map((v) => `\`${c.id}${v}\``);
  return [
    `# ${c.name} (\`${c.id}\`)`,
    '',
    '<!-- Generated from src/sources/catalogue by `npm run docs`; edit the catalogue, not this file. -->',
    '',
    ...aliasesLine(c.id, c.aliases),
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

/** A bulk connector's page: what file to drop where, what comes out, its rules and example input. */
export function bulkConnectorDoc(c: BulkConnector): string {
  const org = generateFakeOrg({ seed: 1, people: 3 });
  const excerpts = c.examples.flatMap((e) => {
    const lines = e.generate(org).text.split('\n');
    return ['', `\`${e.objectPath}\`${lines.length > 4 ? ' (first lines)' : ''}:`, '', '```', ...lines.slice(0, 3), '```'];
  });
  return [
    `# ${c.name} (\`${c.id}\`, bulk)`,
    '',
    '<!-- Generated from src/sources/catalogue by `npm run docs`; edit the catalogue, not this file. -->',
    '',
    ...aliasesLine(c.id, c.aliases),
    '## What file to drop where',
    '',
    c.input,
    '',
    `Deploy the bulk function with \`SOURCE=${c.id}\` (its built-in rules apply when no \`RULES\` is set), or run \`psoxy bulk <file> --rules ${c.id} --salt "$PSOXY_SALT"\` locally.`,
    '',
    '## What comes out',
    '',
    c.sanitizes,
    '',
    `## Rules (\`psoxy rules check ${c.id}\`)`,
    '',
    '```yaml',
    c.rules.trim(),
    '```',
    '',
    '## Example input (made-up people)',
    ...excerpts,
    '',
  ].join('\n');
}
