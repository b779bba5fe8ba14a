#!/usr/bin/env node
// The only place csi exits the process.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
