/** `psoxy connectors`: every built-in connector, what it takes to set up, and where its page is. */
import { Command } from 'commander';
import { BULK_CONNECTORS, CONNECTORS } from '../sources/catalogue/registry.ts';
import { ZOOM_DEFAULTS, ZOOM_SECRETS } from '../sources/zoom/connector.ts';
import { action } from './options.ts';

interface Listed {
  id: string;
  /** Other names `--source`, `--rules`, `check` and `demo` take for it (psoxy's Terraform keys, older ids). */
  aliases: readonly string[];
  name: string;
  auth: string;
  secrets: readonly string[];
  caveats?: string;
  sanitizes: string;
  page: string;
}

const authOf = (settings: Record<string, string>): string =>
  [settings.SOURCE_AUTH_STRATEGY_IDENTIFIER, settings.GRANT_TYPE].filter(Boolean).join(' / ') || '(set SOURCE_AUTH_STRATEGY_IDENTIFIER)';

/** Zoom (with its own simulator and scope report) first, then the catalogue's API and bulk connectors. */
export function listedConnectors(): Listed[] {
  return [
    { id: 'zoom', aliases: [], name: 'Zoom', auth: authOf(ZOOM_DEFAULTS), secrets: ZOOM_SECRETS, sanitizes: 'emails and user ids pseudonymized, names, phones, topics, join URLs and passwords removed', page: 'README.md#running-the-proxy-for-zoom' },
    ...CONNECTORS.map((c) => ({ id: c.id, aliases: c.aliases ?? [], name: c.name, auth: authOf(c.settings), secrets: c.secrets, caveats: c.caveats, sanitizes: c.sanitizes, page: `docs/connectors/${c.id}.md` })),
    ...BULK_CONNECTORS.map((c) => ({ id: c.id, aliases: c.aliases ?? [], name: `${c.name} (bulk)`, auth: 'none: files dropped in the input bucket', secrets: [], sanitizes: c.sanitizes, page: `docs/connectors/${c.id}.md` })),
  ];
}

export function connectorsCommand(): Command {
  return new Command('connectors')
    .description('list the built-in connectors (ids for --source, --rules, check and the Terraform modules)')
    .option('--json', 'one JSON object per connector')
    .addHelpText('after', '\nExamples:\n  $ psoxy connectors\n  $ psoxy connectors --json | head -1\n  $ psoxy demo --source gcal')
    .action(action((options: { json?: boolean }) => {
      for (const c of listedConnectors()) {
        if (options.json) {
          console.log(JSON.stringify(c));
          continue;
        }
        console.log(`${c.id.padEnd(24)} ${c.name}`);
        if (c.aliases.length) console.log(`${''.padEnd(24)} also: ${c.aliases.join(', ')} (psoxy's names for it; any of them selects it)`);
        console.log(`${''.padEnd(24)} auth: ${c.auth}; fill: ${c.secrets.join(', ') || '(nothing)'}`);
        if (c.caveats) console.log(`${''.padEnd(24)} note: ${c.caveats}`);
        console.log(`${''.padEnd(24)} out: ${c.sanitizes}`);
        console.log(`${''.padEnd(24)} see ${c.page}`);
      }
      return 0;
    }));
}
