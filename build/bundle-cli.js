#!/usr/bin/env node
/**
 * Bundles the CLI (after `tsc` has emitted dist/) into dist/bundle/, which bin/dynaflow.js loads.
 *
 * Why: a cold `dynaflow run` spent most of its ~0.5 s start loading ~1,000 small ES modules (ours,
 * the Anthropic SDK, zod, ajv, yaml); one file per chunk starts in ~0.33 s (issue 2 benchmarks).
 * Code splitting keeps every `import()` boundary, so what the CLI loads lazily (the ink monitor, MCP,
 * the cloud SDKs, OpenAI) still loads only when used.
 *
 * A second, small entry (`launcher`, from src/environment) is what bin/dynaflow.js loads first: it
 * decides whether to hand the keys to a child runtime through a pipe (then this process never
 * loads the CLI at all) or to load the CLI in-process.
 *
 * Chunks sit two levels below the package root, like every dist/<subsystem>/*.js, so the
 * `new URL('../../workflows/', import.meta.url)` style paths in src resolve the same in both.
 */
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Left as real imports: native addons and wasm packages locate files next to themselves, the
 * monitor's UI stack (ink, react and ink's optional devtools) only loads with a terminal, and the
 * Azure identity SDK (MSAL, loaded only for Foundry's Entra ID) resolves optional packages at runtime.
 */
const EXTERNAL = [
  'better-sqlite3',
  '@jitl/*',
  'amaro',
  'ink',
  'react',
  'react/*',
  'react-devtools-core',
  '@azure/identity',
];

// Chunk names carry content hashes: without a clean slate, every build would leave the last one's behind.
await rm(path.join(root, 'dist/bundle'), { recursive: true, force: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: { cli: 'dist/cli/index.js', launcher: 'dist/environment/index.js' },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  // CommonJS packages inside an ES bundle still call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __bundleRequire } from 'node:module';\nconst require = __bundleRequire(import.meta.url);",
  },
  logLevel: 'warning',
  metafile: true,
});

// What went where, for `npx esbuild --analyze`-style questions ("why is this chunk loaded at start?").
await writeFile(path.join(root, 'dist/bundle/meta.json'), JSON.stringify(result.metafile));

const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
process.stderr.write(
  `bundled dist/bundle: ${Object.keys(result.metafile.outputs).length} chunks, ${(bytes / 2 ** 20).toFixed(1)} MB\n`,
);
