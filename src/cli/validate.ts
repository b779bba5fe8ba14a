import { relative } from 'node:path';
import { Command } from 'commander';
import { resolveSettings } from '../config.js';
import { parseDataSet } from '../data/dataset.js';
import { readDataDir } from '../data/read.js';
import { ExitCode } from '../errors.js';
import { colourFor, formatProblem, problemJson } from './io.js';
import type { Io } from './io.js';

export interface ValidateFlags {
  json: boolean;
}

/** `csi validate [data-dir]`: every problem in the data at once, or "valid". */
export function validateCommand(io: Io, run: (work: () => Promise<number>) => void): Command {
  return new Command('validate')
    .description('check the data and list every problem at once, with file, line and column')
    .argument('[data-dir]', 'folder holding report.yaml and the appendix files', 'data')
    .option('--json', 'print {"valid": …, "errors": […]} on stdout instead', false)
    .addHelpText('after', `
Exit codes: 0 the data is valid, 1 it has problems, 2 wrong usage.
Statuses and ratings are checked against the words csi.config.yaml (or CSI_CONFIG) sets.

Examples:
  $ csi validate                 # check data/
  $ csi validate plans/2018
  $ csi validate --json          # for CI and editors: one JSON object on stdout`)
    .action((dataDir: string, flags: ValidateFlags, command: Command) =>
      run(async () => {
        const { statuses } = await resolveSettings({}, io.env, io.cwd);
        const files = await readDataDir(dataDir);
        const result = parseDataSet(files, { statuses });
        const problems = result.ok ? [] : result.problems;
        if (flags.json) {
          io.stdout.write(`${JSON.stringify({ valid: result.ok, errors: problems.map(problemJson) })}\n`);
          return result.ok ? ExitCode.ok : ExitCode.invalidData;
        }
        const shown = relative(io.cwd, dataDir) || '.';
        if (result.ok) {
          io.stdout.write(`${shown} is valid: ${files.size} file${files.size === 1 ? '' : 's'} checked\n`);
          return ExitCode.ok;
        }
        const globals = command.optsWithGlobals<{ color?: boolean; debug?: boolean }>();
        const c = colourFor(io.stderr, io.env, globals.color === false ? false : undefined);
        for (const p of problems) io.stderr.write(formatProblem(p, dataDir, io.cwd, c, globals.debug === true));
        const n = problems.length;
        io.stderr.write(c.red(`csi: ${n} problem${n === 1 ? '' : 's'} in ${shown}\n`));
        return ExitCode.invalidData;
      }),
    );
}
