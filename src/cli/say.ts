import type { Command } from 'commander';
import type { Io } from './io.js';

// shownPath lives in io.ts, which names paths in failures too; passed on here so that io.ts need not import this file.
export { shownPath } from './io.js';

/** How much a command says: results on stdout, notes and details on stderr. */
export interface Log {
  /** A result line ("wrote out/report.html"); silent with --quiet. */
  result(text: string): void;
  /** Something worth knowing that is not a failure; silent with --quiet. */
  note(text: string): void;
  /** Only with --verbose: what csi decided and how long each stage took. */
  detail(text: string): void;
}

/** The log for a command, from the global --quiet and --verbose flags. */
export function logFor(io: Io, command: Command): Log {
  const { quiet, verbose } = command.optsWithGlobals<{ quiet?: boolean; verbose?: boolean }>();
  return {
    result: (text) => {
      if (!quiet) io.stdout.write(`${text}\n`);
    },
    note: (text) => {
      if (!quiet) io.stderr.write(`${text}\n`);
    },
    detail: (text) => {
      if (verbose) io.stderr.write(`${text}\n`);
    },
  };
}
