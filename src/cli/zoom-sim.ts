/** `psoxy zoom-sim`: the Zoom simulator as a standalone server. */
import { parseArgs } from 'node:util';
import { grantedScopes, ZoomSimulator } from '../sources/zoom/simulator/server.ts';

export async function cmdZoomSim(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '9000' }, seed: { type: 'string', default: '42' }, users: { type: 'string', default: '50' },
      'free-plan': { type: 'boolean', default: false }, 'token-policy': { type: 'string', default: 'revoke-previous' },
      'rate-limit': { type: 'string' }, scopes: { type: 'string', default: 'granular' }, 'missing-scopes': { type: 'string' },
    },
  });
  const policy = values['token-policy'];
  if (policy !== 'revoke-previous' && policy !== 'multiple') throw new Error('--token-policy must be revoke-previous or multiple');
  const family = values.scopes;
  if (family !== 'classic' && family !== 'granular') throw new Error('--scopes must be classic (an app set up as psoxy\'s Zoom guide says) or granular (apps created since 2024)');
  const missing = new Set((values['missing-scopes'] ?? '').split(',').filter(Boolean));
  const sim = new ZoomSimulator({
    orgOptions: { seed: Number(values.seed), users: Number(values.users) },
    plan: values['free-plan'] ? 'free' : 'paid',
    tokenPolicy: policy,
    rateLimitPerSecond: values['rate-limit'] ? Number(values['rate-limit']) : undefined,
    scopes: grantedScopes(family).filter((s) => !missing.has(s)),
  });
  const url = await sim.start(Number(values.port));
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
