#!/usr/bin/env node
// The only place csi exits the process.
import module, { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// Node 22.1+ keeps compiled code of modules between runs (no-op on Node 20, which lacks it).
module.enableCompileCache?.();

const argv = process.argv.slice(2);
// csi runs from dist/csi.cjs, one file bundled by esbuild (scripts/bundle.mjs), through a V8
// code cache (src/load-bundle.cts). --debug loads it with source maps instead, so stacks
// point into src/. Without the bundle (tsc alone was run), csi runs from tsc's dist/.
// (require, not import: CommonJS through the ES module loader costs a few ms more.)
const { loadBundle, saveCodeCaches } = createRequire(import.meta.url)('../dist/load-bundle.cjs');
const bundle = loadBundle(fileURLToPath(new URL('../dist/csi.cjs', import.meta.url)), { sourceMaps: argv.includes('--debug') });
const { main } = bundle ? bundle.exports : await import('../dist/cli/main.js');

// `csi --help | head` closes the pipe early: stop quietly, as other tools do.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await main(argv);
// Keep what this run compiled for the next, where that helps (see src/load-bundle.cts).
saveCodeCaches(argv.find((arg) => !arg.startsWith('-')) ?? 'csi');
