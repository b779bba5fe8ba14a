#!/usr/bin/env node
// The only place csi exits the process.
import module from 'node:module';

// Node 22.1+ keeps compiled code between runs (no-op on Node 20, which lacks it);
// main is imported after, so the cache covers it.
module.enableCompileCache?.();
const { main } = await import('../dist/cli/main.js');

// `csi --help | head` closes the pipe early: stop quietly, as other tools do.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2));
