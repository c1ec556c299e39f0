/** `psoxy sanitize`: one response through API rules, as the proxy would sanitize it. */
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { loadAnyRules } from '../bulk/rules.ts';
import { loadApiRules } from '../rules/load.ts';
import { EndpointMatcher } from '../rules/match.ts';
import { splitRawUrl } from '../rules/url.ts';
import { BlockedByRulesError, Sanitizer } from '../sanitizer/sanitizer.ts';
import { MissingEncryptionKeyError, Pseudonymizer } from '../pseudonym/pseudonymizer.ts';
import { action, oneOf, UsageError } from './options.ts';
import { readRules } from './rules-ref.ts';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

interface SanitizeOptions { rules: string; url: string; method: string; salt?: string; encryptionKey?: string; input?: string }

function sanitize(o: SanitizeOptions): number {
  const { text, file } = readRules(o.rules);
  const kind = loadAnyRules(text, file).kind;
  if (kind !== 'api') throw new UsageError(`${file} are bulk rules (${kind}); sanitize needs API rules (endpoints): use psoxy bulk for files`);
  const rules = loadApiRules(text, file);
  if (!o.salt) throw new UsageError('needs --salt (or PSOXY_SALT in the environment)');
  const sanitizer = new Sanitizer(rules, new Pseudonymizer({ salt: o.salt, encryptionKey: o.encryptionKey ?? null }));
  if (o.input === undefined && process.stdin.isTTY) process.stderr.write('reading the response from stdin (end with Ctrl-D; or pass --input <file>)\n');
  const body = readFileSync(o.input ?? 0, 'utf8');
  if (body.trim() === '') throw new Error(`the response is empty (${o.input ?? 'stdin'}); give the JSON body to sanitize on stdin or with --input <file>`);
  try {
    process.stdout.write(sanitizer.sanitize(o.method, o.url, body) + '\n');
  } catch (e) {
    if (e instanceof BlockedByRulesError) {
      const { path, query } = splitRawUrl(o.url);
      throw new Error(`${o.method} ${o.url} is not allowed by the rules: ${new EndpointMatcher(rules).explainRefusal(o.method, path, query)}`, { cause: e });
    }
    if (e instanceof MissingEncryptionKeyError) throw new Error(`${file} makes reversible pseudonyms (p~), which need --encryption-key (or PSOXY_ENCRYPTION_KEY in the environment)`, { cause: e });
    throw e;
  }
  return 0;
}

export function sanitizeCommand(): Command {
  return new Command('sanitize')
    .description('sanitize one JSON response (stdin or --input) as the proxy would, and print it')
    .requiredOption('--rules <file|name>', 'API rules: a rules file or a built-in name (psoxy rules list)')
    .requiredOption('--url <url>', 'the request URL the response answers (raw, as sent to the source; host optional)')
    .addOption(new Option('--method <method>', 'the request method').default('GET').argParser(oneOf('--method', METHODS, (v) => v.toUpperCase())))
    .addOption(new Option('--salt <salt>', 'the pseudonym salt').env('PSOXY_SALT'))
    .addOption(new Option('--encryption-key <key>', 'the key for reversible (p~) pseudonyms').env('PSOXY_ENCRYPTION_KEY'))
    .option('--input <file>', 'read the response from a file instead of stdin')
    .addHelpText('after', `
Examples:
  $ psoxy sanitize --rules zoom --url '/v2/users?page_size=300' --salt "$PSOXY_SALT" \\
      --encryption-key "$PSOXY_ENCRYPTION_KEY" --input examples/zoom-users.json
  $ curl -s ... | psoxy sanitize --rules examples/users-rules.yaml --url 'https://api.zoom.us/v2/users'

A blocked URL names the part refused (path, method, query parameter); nothing is printed on stdout
for a blocked URL, an empty or non-JSON body, or rules that fail to load (exit 1).`)
    .action(action(sanitize));
}
