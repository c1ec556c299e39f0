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
 *
 * Each split package's `index.mjs` is a small stub (`dist/<name>.mjs`) that turns on Node's
 * compile cache with V8 code caches made here, then imports the package's main module
 * (`<name>-main.mjs`): see compileCache below.
 */
import { build, type BuildOptions } from 'esbuild';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { crc32 } from 'node:zlib';
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
 * V8 code caches for a package's modules, made by Node's compile cache (NODE_COMPILE_CACHE) while
 * a child process imports the main module and `warm` (the chunks a cold start loads beyond the
 * main module's static imports), shipped as `compile-cache/` beside the code. Node names a cache
 * entry by a CRC-32 of the module's URL, so the stub copies each into the runtime's own cache
 * directory under the name its URL there gives. Node checks its version, the architecture and
 * V8's flags (the directory's tag) and V8 checks the source: the caches are used only when the
 * function's Node is the one that ran this build (same `process.version`), else ignored.
 */
function compileCache(name: string, warm: string[]): { name: string; data: Buffer }[] {
  const dir = mkdtempSync(join(tmpdir(), 'psoxy-compile-cache-'));
  try {
    const imports = [`./${name}-main.mjs`, ...warm].map((m) => `await import(${JSON.stringify(pathToFileURL(join(process.cwd(), 'dist', m)).href)});`).join('\n');
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', `${imports}\nprocess.exit(0);`], {
      env: { ...process.env, NODE_COMPILE_CACHE: dir, SOURCE: 'zoom' }, encoding: 'utf8', cwd: 'dist',
    });
    if (child.status !== 0) throw new Error(`compile cache for ${name}: ${child.stderr}`);
    const [tag] = readdirSync(dir);
    if (!tag) return [];
    const entries: { name: string; data: Buffer }[] = [];
    const files: Record<string, string> = {};
    const byKey = new Map(readdirSync(join(dir, tag)).map((k) => [k, readFileSync(join(dir, tag, k))]));
    const modules = [`${name}-main.mjs`, ...readdirSync(`dist/${name}-chunks`).map((c) => `${name}-chunks/${c}`)];
    for (const m of modules) {
      const key = cacheKey(pathToFileURL(join(process.cwd(), 'dist', m)).href);
      const data = byKey.get(key);
      if (!data) continue;
      files[m] = `${name}-compile-cache/${m.replace(/\//g, '_')}.v8`;
      entries.push({ name: files[m], data });
    }
    // The tag is `<node version>-<arch>-<V8 flags hash>-<uid>`: the uid differs on the platform.
    const manifest = { tag: tag.replace(/-\d+$/, ''), files };
    entries.push({ name: `${name}-compile-cache/manifest.json`, data: Buffer.from(JSON.stringify(manifest)) });
    return entries;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Node's name for a module's compile cache entry: CRC-32 of the kind (1: ES module) and the URL. */
function cacheKey(url: string): string {
  return (crc32(Buffer.concat([Buffer.from([1]), Buffer.from(url)])) >>> 0).toString(16).padStart(8, '0');
}

/**
 * The package's index.mjs: turns on the compile cache (if the caches match this Node) before the
 * main module is compiled, which is why it is imported dynamically; re-exports `exports`.
 */
function stub(name: string, exports: string[]): string {
  return `import { enableCompileCache } from 'node:module';
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { crc32 } from 'node:zlib';
try {
  const m = JSON.parse(readFileSync(new URL('./${name}-compile-cache/manifest.json', import.meta.url), 'utf8'));
  if (m.tag.startsWith(process.version + '-' + process.arch + '-')) {
    const base = tmpdir() + '/psoxy-compile-cache';
    // Node makes its directory for this Node and V8 (<version>-<arch>-<V8 tag>-<uid>) in base.
    if (enableCompileCache(base).status === 1) {
      const dir = readdirSync(base).find((d) => d.startsWith(m.tag + '-'));
      if (dir) for (const [module, cache] of Object.entries(m.files)) {
        const key = (crc32(Buffer.concat([Buffer.from([1]), Buffer.from(new URL('./' + module, import.meta.url).href)])) >>> 0).toString(16).padStart(8, '0');
        copyFileSync(new URL('./' + cache, import.meta.url), base + '/' + dir + '/' + key);
      }
    }
  }
} catch {
  // No caches, or a cache directory that cannot be written: the modules are compiled as usual.
}
const main = await import('./${name}-main.mjs');
${exports.map((e) => `export const ${e} = main.${e};`).join('\n')}
`;
}

/**
 * A package split for lazy loading: a stub (index.mjs), the main module and the chunks it imports
 * on first use, written to dist/<name>.mjs, dist/<name>-main.mjs and dist/<name>-chunks/ and zipped
 * under the same relative paths (the stub as index.mjs), with the compile caches and the `extra`
 * files (made from the build's metafile) beside them. `warm`: the entry points (source paths) of
 * the chunks a cold start loads, whose caches are made too.
 */
async function splitPackage(name: string, entry: string, exports: string[], warm: string[], options: Pick<BuildOptions, 'target' | 'packages'> = {}, extra: (metafile: Metafile) => { name: string; data: Buffer }[] = () => []): Promise<void> {
  const out = await build({
    ...common, target: 'node24', ...options, entryPoints: [{ in: entry, out: `${name}-main` }, ...warm.map((w) => ({ in: w, out: `${name}-chunks/${basename(w, '.ts')}-warm` }))],
    write: false, outdir: 'dist', outExtension: { '.js': '.mjs' },
    splitting: true, chunkNames: `${name}-chunks/[name]-[hash]`, mainFields: ['module', 'main'], metafile: true,
  });
  rmSync(`dist/${name}-chunks`, { recursive: true, force: true });
  mkdirSync(`dist/${name}-chunks`);
  const files = out.outputFiles.map((f) => ({ path: f.path, name: f.path.slice(f.path.lastIndexOf('/dist/') + 6), data: Buffer.from(f.contents) }));
  for (const f of files) writeFileSync(f.path, f.data);
  const index = Buffer.from(stub(name, exports));
  writeFileSync(`dist/${name}.mjs`, index);
  const warmed = files.filter((f) => f.name.endsWith('-warm.mjs')).map((f) => f.name);
  const caches = compileCache(name, warmed);
  rmSync(`dist/${name}-compile-cache`, { recursive: true, force: true });
  mkdirSync(`dist/${name}-compile-cache`);
  for (const c of caches) writeFileSync(`dist/${c.name}`, c.data);
  writeFileSync(`dist/${name}.zip`, zip([{ name: 'index.mjs', data: index }, ...files, ...caches, ...extra(out.metafile)]));
  const main = files.find((f) => f.name === `${name}-main.mjs`)!.data.length;
  console.log(`dist/${name}.zip: ${kib(statSync(`dist/${name}.zip`).size)} (main ${kib(main)}, ${files.length - 1} chunks ${kib(files.reduce((n, f) => n + f.data.length, -main))}, compile caches ${kib(caches.reduce((n, f) => n + f.data.length, 0))})`);
}

await splitPackage('aws-lambda', 'src/runtimes/aws/lambda.ts', ['handler'], ['src/runtimes/aws/ssm-store.ts']);
await splitPackage('aws-bulk-lambda', 'src/runtimes/aws/bulk-handler.ts', ['handler'], ['src/runtimes/aws/ssm-store.ts']);

// Cloud Functions installs dependencies from package.json (Cloud Build): bundle only our code.
// (Google's client libraries also load .proto/.json files from their own directories at run time.)
// Split, so that what only bulk mode needs (`yaml` with it) loads on its first event.
const packageName = (spec: string) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
await splitPackage('gcp-function', 'src/runtimes/gcp/function.ts', ['registerApiFunction', 'SecretManagerRest'], [], { target: 'node22', packages: 'external' }, (metafile) => {
  const externals = new Set(Object.values(metafile.inputs).flatMap((i) => i.imports.filter((x) => x.external && !x.path.startsWith('node:')).map((x) => packageName(x.path))));
  const dependencies = Object.fromEntries([...externals].sort().map((name) => [name, `^${(JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')) as { version: string }).version}`]));
  const pkg = JSON.stringify({ name: 'psoxy-gcp-function', type: 'module', main: 'index.mjs', engines: { node: '>=22' }, dependencies }, null, 2);
  return [{ name: 'package.json', data: Buffer.from(pkg) }];
});
