/**
 * `npm run build`: esbuild bundles, reported with their sizes (`--cli-only`: the CLI alone, as
 * `npm pack` builds it before packing).
 * - dist/psoxy.mjs: the CLI, self-contained (the package's `psoxy` bin: Node strips types only
 *   outside node_modules, so the package ships JavaScript, and needs no dependencies installed).
 * - dist/aws-lambda.zip: the API proxy for Lambda (`index.handler`, nodejs24.x, arm64), a
 *   minified ESM entry with only what every request needs, and chunks (`aws-lambda-chunks/`) for
 *   what loads on first use (the SDK clients: their ES-module builds, smaller than CommonJS and the
 *   only ones esbuild can split out of a dynamic `import()`). Unpacked in dist/ too, for tests.
 * - dist/aws-bulk-lambda.zip: bulk mode for Lambda (S3 events).
 * - dist/gcp-function.zip: a Cloud Functions source package (package.json + entry and chunks, as
 *   for Lambda; the functions framework is installed by Cloud Build from package.json).
 */
import { build, type BuildOptions } from 'esbuild';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { zip } from './zip.ts';
import { yamlRulesToJson } from '../src/rules/yaml-source.ts';
import type { Metafile, Plugin } from 'esbuild';

/** Embeds the built-in rules as JSON: parsing YAML at every cold start would cost ~90 ms. */
const precompiledRules: Plugin = {
  name: 'precompiled-rules',
  setup(b) {
    b.onLoad({ filter: /src[\\/]sources[\\/]zoom[\\/](rules|ai-metrics-rules)\.ts$/ }, async (args) => {
      const mod = (await import(args.path)) as Record<string, unknown>;
      // YAML texts become their JSON; other exports (aliases…) are data, written as they are.
      const body = Object.entries(mod).map(([name, value]) => {
        if (typeof value === 'string') return `export const ${name} = ${JSON.stringify(yamlRulesToJson(value, name))};`;
        if (typeof value === 'function') throw new Error(`${args.path}: export ${name} is a function; only rules texts and data can be embedded`);
        return `export const ${name} = ${JSON.stringify(value)};`;
      }).join('\n');
      return { contents: body, loader: 'js' };
    });
  },
};

/**
 * The function packages' connector catalogue as data: each module the registry imports (the
 * connector families, the bulk connectors) is replaced by its exports, evaluated here, with the
 * API connectors' rules as JSON (as precompiledRules does for Zoom's) and no `examples` (the
 * simulator's and the demo's calls, functions). A cold start then neither compiles nor runs the
 * families' rules builders (~25 ms of main-thread CPU for the whole catalogue), and binds any
 * built-in SOURCE's rules without loading the YAML parser. The CLI bundle keeps the modules.
 */
const catalogueData: Plugin = {
  name: 'catalogue-data',
  setup(b) {
    const registry = /src[\\/]sources[\\/]catalogue[\\/]registry\.ts$/;
    b.onResolve({ filter: /^\.\.\/.+\.ts$/ }, (args) => (registry.test(args.importer) ? { path: join(dirname(args.importer), args.path), namespace: 'catalogue-data' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'catalogue-data' }, async (args) => {
      const mod = (await import(pathToFileURL(args.path).href)) as Record<string, unknown>;
      const connector = (c: Record<string, unknown>) => ({
        ...c,
        examples: [],
        // API connectors: rules YAML by variant, as JSON; bulk connectors' rules stay YAML (bulk mode reads YAML).
        ...(c.rules !== null && typeof c.rules === 'object' ? { rules: Object.fromEntries(Object.entries(c.rules as Record<string, string>).map(([variant, yaml]) => [variant, yamlRulesToJson(yaml, `${String(c.id)}${variant}`)])) } : {}),
      });
      // The lists the registry imports (`GITHUB_CONNECTORS`…); importing any other export fails the build.
      const body = Object.entries(mod).filter(([name]) => name.endsWith('_CONNECTORS')).map(([name, value]) => {
        if (!Array.isArray(value)) throw new Error(`${args.path}: export ${name} is not a list of connectors`);
        const json = JSON.stringify((value as Record<string, unknown>[]).map(connector), (key, v: unknown) => {
          if (typeof v === 'function') throw new Error(`${args.path}: ${name} has a function (${key}); only data can be embedded`);
          return v;
        });
        return `export const ${name} = ${json};`;
      }).join('\n');
      return { contents: body, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

mkdirSync('dist', { recursive: true });
const common: BuildOptions = {
  plugins: [precompiledRules],
  bundle: true, platform: 'node', format: 'esm', minify: true, legalComments: 'none', logLevel: 'warning',
  // Some CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);' },
};
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

async function bundle(entry: string, target: string, external: string[] = []): Promise<Buffer> {
  const out = await build({ ...common, entryPoints: [entry], write: false, target, external, outfile: 'out.mjs' });
  return Buffer.from(out.outputFiles[0].contents);
}

const cli = await bundle('src/cli/main.ts', 'node22');
// Written whole or not at all: `npm pack` may read it while another build writes it (tests run both).
writeFileSync(`dist/psoxy.mjs.${process.pid}`, cli);
renameSync(`dist/psoxy.mjs.${process.pid}`, 'dist/psoxy.mjs');
console.log(`dist/psoxy.mjs: ${kib(cli.length)}`);
if (process.argv.includes('--cli-only')) process.exit(0);

/**
 * A package split for lazy loading: an entry and the chunks it imports on first use, written to
 * dist/<name>.mjs and dist/<name>-chunks/ and zipped as index.mjs and <name>-chunks/ (the same
 * relative paths), with the `extra` files (made from the build's metafile) beside them.
 * (No V8 code caches are shipped: Node uses one only on the build's exact Node version and CPU
 * architecture, and the functions run arm64 nodejs24.x on Lambda and nodejs22 on GCP.)
 */
async function splitPackage(name: string, entry: string, options: Pick<BuildOptions, 'target' | 'packages'> = {}, extra: (metafile: Metafile) => { name: string; data: Buffer }[] = () => []): Promise<void> {
  const out = await build({
    ...common, plugins: [precompiledRules, catalogueData], target: 'node24', ...options, entryPoints: { [name]: entry }, write: false, outdir: 'dist', outExtension: { '.js': '.mjs' },
    splitting: true, chunkNames: `${name}-chunks/[name]-[hash]`, mainFields: ['module', 'main'], metafile: true,
  });
  rmSync(`dist/${name}-chunks`, { recursive: true, force: true });
  // What an earlier build (with compile caches) left beside the package.
  for (const old of [`dist/${name}-main.mjs`, `dist/${name}-compile-cache`]) rmSync(old, { recursive: true, force: true });
  mkdirSync(`dist/${name}-chunks`);
  const files = out.outputFiles.map((f) => ({ path: f.path, name: basename(dirname(f.path)) === 'dist' ? 'index.mjs' : `${name}-chunks/${basename(f.path)}`, data: Buffer.from(f.contents) }));
  for (const f of files) writeFileSync(f.path, f.data);
  writeFileSync(`dist/${name}.zip`, zip([...files, ...extra(out.metafile)]));
  const main = files.find((f) => f.name === 'index.mjs')!.data.length;
  console.log(`dist/${name}.zip: ${kib(statSync(`dist/${name}.zip`).size)} (entry ${kib(main)}, ${files.length - 1} chunks ${kib(files.reduce((n, f) => n + f.data.length, -main))})`);
}

await splitPackage('aws-lambda', 'src/runtimes/aws/lambda.ts');
await splitPackage('aws-bulk-lambda', 'src/runtimes/aws/bulk-handler.ts');

// Cloud Functions installs dependencies from package.json (Cloud Build): bundle only our code.
// (Google's client libraries also load .proto/.json files from their own directories at run time.)
// Split, so that what only bulk mode needs (`yaml` with it) loads on its first event.
const packageName = (spec: string) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
await splitPackage('gcp-function', 'src/runtimes/gcp/function.ts', { target: 'node22', packages: 'external' }, (metafile) => {
  const externals = new Set(Object.values(metafile.inputs).flatMap((i) => i.imports.filter((x) => x.external && !x.path.startsWith('node:')).map((x) => packageName(x.path))));
  const dependencies = Object.fromEntries([...externals].sort().map((name) => [name, `^${(JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')) as { version: string }).version}`]));
  const pkg = JSON.stringify({ name: 'psoxy-gcp-function', type: 'module', main: 'index.mjs', engines: { node: '>=22' }, dependencies }, null, 2);
  return [{ name: 'package.json', data: Buffer.from(pkg) }];
});
