/** `psoxy zoom-sim`: the Zoom simulator as a standalone server. */
import { Command, Option } from 'commander';
import { grantedScopes, ZoomSimulator } from '../sources/zoom/simulator/server.ts';
import { action, oneOf, port, wholeNumber } from './options.ts';

interface ZoomSimOptions {
  port: number; seed: number; users: number; freePlan: boolean; tokenPolicy: 'revoke-previous' | 'multiple';
  rateLimit?: number; scopes: 'classic' | 'granular'; missingScopes?: string;
}

async function zoomSim(values: ZoomSimOptions): Promise<number> {
  const family = values.scopes;
  const missing = new Set((values.missingScopes ?? '').split(',').filter(Boolean));
  const sim = new ZoomSimulator({
    orgOptions: { seed: values.seed, users: values.users },
    plan: values.freePlan ? 'free' : 'paid',
    tokenPolicy: values.tokenPolicy,
    rateLimitPerSecond: values.rateLimit,
    scopes: grantedScopes(family).filter((s) => !missing.has(s)),
  });
  const url = await sim.start(values.port);
  const exportLine = (settings: Record<string, string>) => '  export ' + Object.entries(settings).map(([k, v]) => `${k}=${v}`).join(' ');
  console.log(`Zoom simulator at ${url} (${sim.org.users.length} users, ${sim.org.meetings.length} meetings; ${family} scopes: ${sim.scopes.join(' ')})
To proxy it:
${exportLine(sim.targetSettings())}
${exportLine(sim.credentialSettings())}`);
  await new Promise<void>((resolve) => {
    const stop = () => { void sim.stop().then(resolve); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

export function zoomSimCommand(): Command {
  return new Command('zoom-sim')
    .description('run the Zoom simulator (a seeded organisation, Zoom\'s OAuth and API, scopes enforced) and print the settings to proxy it')
    .addOption(new Option('--port <port>', 'the port to listen on (0: any free port)').default(9000).argParser(port))
    .addOption(new Option('--seed <n>', 'the seed of the generated organisation').default(42).argParser(wholeNumber('--seed', 0)))
    .addOption(new Option('--users <n>', 'how many users').default(50).argParser(wholeNumber('--users', 1, 100_000)))
    .option('--free-plan', 'a free account: report and past-participant endpoints answer as Zoom does for free plans', false)
    .addOption(new Option('--token-policy <policy>', 'revoke-previous (Zoom\'s default: a new token revokes the last) or multiple').default('revoke-previous').argParser(oneOf('--token-policy', ['revoke-previous', 'multiple'] as const)))
    .addOption(new Option('--rate-limit <n>', 'requests per second before 429').argParser(wholeNumber('--rate-limit', 1)))
    .addOption(new Option('--scopes <family>', 'classic (an app set up as psoxy\'s Zoom guide says) or granular (apps created since 2024)').default('granular').argParser(oneOf('--scopes', ['classic', 'granular'] as const)))
    .option('--missing-scopes <a,b>', 'scopes the app lacks (comma-separated)')
    .addHelpText('after', `
Examples:
  $ psoxy zoom-sim --port 9000 --scopes classic
  $ psoxy zoom-sim --free-plan --missing-scopes report:read:user:admin   # then: psoxy check zoom`)
    .action(action(zoomSim));
}
