#!/usr/bin/env node
// The only place csi exits the process: main() returns the exit code, and nothing in src/
// exits. (A signal ends csi as signals do, once the printer has ended the browser: src/pdf/printer.ts.)
import { existsSync } from 'node:fs';
import module, { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// Node 22.1+ keeps compiled code of modules between runs (no-op on Node 20, which lacks it).
module.enableCompileCache?.();

const argv = process.argv.slice(2);
// --debug: stack traces point into src/, through the bundle's source map.
if (argv.includes('--debug')) process.setSourceMapsEnabled(true);
// csi runs from dist/csi.cjs, one file bundled by esbuild (scripts/bundle.mjs); without it
// (tsc alone was run), from tsc's dist/. (require, not import: CommonJS through the ES
// module loader costs a few ms more.)
const bundle = fileURLToPath(new URL('../dist/csi.cjs', import.meta.url));
const { main } = existsSync(bundle) ? createRequire(import.meta.url)(bundle) : await import('../dist/cli/main.js');

// A file size limit (ulimit -f) would kill csi with SIGXFSZ mid-write, saying nothing: ignored,
// the write fails with EFBIG instead, and csi says so and exits 3, leaving no partial file.
process.on('SIGXFSZ', () => undefined);

// Never a silent success: should main() be left waiting on something that can no longer
// happen, node runs out of work and ends, and signal-exit (loaded with the browser) turns the
// code node gives an unsettled top-level await (13) into 0. Nothing was finished: say so, exit 3.
let finished = false;
process.on('exit', () => {
  if (finished || process.exitCode) return;
  process.stderr.write('csi: stopped before the run finished (an internal error); outputs may not have been written\n');
  process.exitCode = 3;
});

// `csi --help | head` closes the pipe early: stop quietly, as other tools do.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
  finished = true;
  process.exit(0);
});

process.exitCode = await main(argv);
finished = true;
