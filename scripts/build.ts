/** `npm run build`: bundles the CLI into dist/ with esbuild and reports the sizes. */
import { build } from 'esbuild';
import { statSync } from 'node:fs';

const outfile = 'dist/psoxy.mjs';
await build({
  entryPoints: ['src/cli/main.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  banner: { js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);' },
  logLevel: 'warning',
});
console.log(`${outfile}: ${(statSync(outfile).size / 1024).toFixed(1)} KiB`);
