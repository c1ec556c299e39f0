#!/usr/bin/env node
/**
 * `psoxy` command line. Parsing is commander's: a maintained parser with no dependencies of its
 * own, help per command (`psoxy <command> --help`, with our examples), typed option values through
 * our own validators, and errors we can reduce to one line. (yargs gives shell completion but brings
 * six packages and multi-line errors; citty / cac do less for per-command help.) Exit codes: 0 ok,
 * 1 the command failed, 2 it was called wrongly.
 */
import { writeFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { runConformance } from '../conformance/runner.ts';
import { runConnectorDemo, runDemo } from './demo.ts';
import { connectorsCommand } from './connectors.ts';
import { connectorById } from '../sources/catalogue/registry.ts';
import { bulkConnectorProblem } from '../sources/index.ts';
import { serveCommand } from './serve.ts';
import { zoomSimCommand } from './zoom-sim.ts';
import { checkCommand } from './check-source.ts';
import { bulkCommand } from './bulk.ts';
import { callCommand } from './call.ts';
import { sanitizeCommand } from './sanitize.ts';
import { rulesCommand } from './rules.ts';
import { action, EXIT, UsageError } from './options.ts';

async function conformance(o: { manifest: string; root: string; report?: string }): Promise<number> {
  const summary = await runConformance(o.manifest, o.root);
  for (const r of summary.results) {
    if (r.ok === false) console.log(`FAIL ${r.connector} ${r.kind} ${r.requestUrl}\n     ${r.reason}`);
  }
  if (o.report) writeFileSync(o.report, JSON.stringify(summary.results, null, 2) + '\n');
  console.log(`${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
  return summary.failed === 0 ? 0 : 1;
}

function program(): Command {
  const psoxy = new Command('psoxy')
    .description('pseudonymizing API proxy, psoxy-compatible: sanitize responses and files, check rules, run the proxy')
    .addHelpText('after', `
Exit codes: 0 ok; 1 the command failed (a blocked URL, bad rules, a failed check, ...);
2 usage error (an unknown command or option, a missing or invalid value).

Run psoxy <command> --help for a command's options and examples.`);
  psoxy.addCommand(sanitizeCommand());
  psoxy.addCommand(rulesCommand());
  psoxy.addCommand(bulkCommand());
  psoxy.addCommand(serveCommand());
  psoxy.addCommand(checkCommand());
  psoxy.addCommand(zoomSimCommand());
  psoxy.addCommand(callCommand());
  psoxy.command('conformance')
    .description('run psoxy conformance cases (a manifest of rules, requests and expected outputs)')
    .requiredOption('--manifest <file>', 'the cases (JSON)')
    .requiredOption('--root <dir>', 'the folder the manifest\'s paths are relative to')
    .option('--report <file>', 'write every result here (JSON)')
    .addHelpText('after', '\nExample:\n  $ psoxy conformance --manifest ../shared/conformance/manifest.json --root ../shared/conformance/psoxy\n\nExits 0 when no case fails, 1 otherwise.')
    .action(action(conformance));
  psoxy.addCommand(connectorsCommand());
  psoxy.command('demo')
    .description('the simulator, the proxy and an analytics client\'s calls on this machine, showing what was removed (npm start)')
    .option('--source <id>', 'a built-in connector (psoxy connectors); default zoom', 'zoom')
    .addHelpText('after', '\nExamples:\n  $ psoxy demo     # exits 0 when every call worked and no personal value got through\n  $ npm start -- --source gcal')
    .action(action((options: { source: string }) => {
      if (options.source === 'zoom') return runDemo();
      const bulk = bulkConnectorProblem(options.source);
      if (bulk) throw new UsageError(`--source ${bulk}`);
      const connector = connectorById(options.source);
      if (!connector) throw new UsageError(`--source ${options.source} is not a built-in connector (psoxy connectors lists them)`);
      return runConnectorDemo(connector);
    }));
  return psoxy;
}

/** Every command in the tree, each with the name a user types (`rules check`). */
function commandsOf(command: Command, path: string[] = []): [Command, string][] {
  const here: [Command, string][] = [[command, ['psoxy', ...path].join(' ')]];
  return [...here, ...command.commands.flatMap((c) => commandsOf(c, [...path, c.name()]))];
}

/** The command a user typed, for error messages: the longest run of argv naming nested commands. */
function typedCommand(root: Command, argv: string[]): string {
  const names = ['psoxy'];
  let at = root;
  for (const word of argv) {
    const next = at.commands.find((c) => c.name() === word);
    if (!next) break;
    names.push(word);
    at = next;
  }
  return names.join(' ');
}

export async function main(argv: string[]): Promise<number> {
  const root = program();
  for (const [command, name] of commandsOf(root)) {
    // Commander's own errors ("error: unknown option '--x'\n(Did you mean --y?)") as one line.
    command.exitOverride().configureOutput({
      outputError: (message, write) => write(`${name}: ${message.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')}; see ${name} --help\n`),
    });
  }
  try {
    await root.parseAsync(argv, { from: 'user' });
    return Number(process.exitCode ?? EXIT.ok);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help asked for: 0; help shown because no command was given, or any parse error: 2.
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? EXIT.ok : EXIT.usage;
    }
    const where = typedCommand(root, argv);
    if (e instanceof UsageError) {
      process.stderr.write(`${where}: ${e.message}; see ${where} --help\n`);
      return EXIT.usage;
    }
    if (e instanceof Error) {
      process.stderr.write(`${where}: ${e.message.split('\n')[0]}\n`);
      return EXIT.failure;
    }
    throw e;
  }
}

// `psoxy rules list | head -1`: a reader that stops early ends the output, not with a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok); else throw e; });
process.exitCode = await main(process.argv.slice(2));
