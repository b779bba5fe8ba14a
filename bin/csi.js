#!/usr/bin/env node
// The only place csi exits the process.
import { main } from '../dist/cli/main.js';

// `csi --help | head` closes the pipe early: stop quietly, as other tools do.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2));
