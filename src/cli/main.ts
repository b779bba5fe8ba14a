import { Command, CommanderError, Option } from 'commander';
import { CsiError, ExitCode, InvalidDataError } from '../errors.js';
import { trace } from '../trace.js';
import { VERSION } from '../version.js';
import { buildReportCommand } from './build-report.js';
import { diffCommand } from './diff.js';
import { exportCommand } from './export.js';
import { importCommand } from './import.js';
import { examplesForEveryCommand } from './help.js';
import { initCommand } from './init.js';
import { logCommand } from './log.js';
import { previewCommand } from './preview.js';
import { schemaCommand } from './schema.js';
import { statusCommand } from './status.js';
import { trendCommand } from './trend.js';
import { validateCommand } from './validate.js';
import { colourFor, problemJson, processIo, reportFailure } from './io.js';
import type { Io } from './io.js';

/**
 * Runs csi with the given arguments (without `node csi`) and returns the exit
 * code. Never exits the process itself, so tests can call it.
 */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  trace('csi loaded');
  const debug = argv.includes('--debug');
  const json = argv.includes('--json');
  const c = colourFor(io.stderr, io.env, argv.includes('--no-color') ? false : undefined);
  let pending: Promise<number> | undefined;
  const run = (work: () => Promise<number>) => {
    pending = work();
  };

  const program = new Command('csi')
    .description("Compile a committee report on a children's services improvement plan from the plan's YAML files.")
    .version(VERSION, '-V, --version')
    .option('--debug', 'show stack traces and the browser\'s own messages on failure')
    .option('--no-color', 'never colour the output (also: NO_COLOR=1)')
    .option('-q, --quiet', 'print only errors (and --json output)')
    .addOption(new Option('--verbose', 'say where each setting came from and how long each stage took').conflicts('quiet'))
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(c.red(s)),
    });
  const output = {
    writeOut: (s: string) => io.stdout.write(s),
    writeErr: (s: string) => io.stderr.write(s),
  };
  program.addCommand(buildReportCommand(io, run).exitOverride().configureOutput(output));
  program.addCommand(validateCommand(io, run).exitOverride().configureOutput(output));
  program.addCommand(diffCommand(io, run).exitOverride().configureOutput(output));
  program.addCommand(logCommand(io, run).exitOverride().configureOutput(output));
  program.addCommand(statusCommand(io, run).exitOverride().configureOutput(output));
  program.addCommand(trendCommand(io, run).exitOverride().configureOutput(output));
  program.addCommand(schemaCommand(io, run).exitOverride().configureOutput(output));
  program.addCommand(initCommand(io, run).exitOverride().configureOutput(output));
  program.addCommand(previewCommand(io, run).exitOverride().configureOutput(output));
  program.addCommand(importCommand(io, run).exitOverride().configureOutput(output));
  program.addCommand(exportCommand(io, run).exitOverride().configureOutput(output));
  program.addHelpText('after', () => examplesForEveryCommand(program));

  try {
    await program.parseAsync(argv, { from: 'user' });
    if (!pending) {
      program.outputHelp();
      return ExitCode.usage;
    }
    return await pending;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    const code = reportFailure(error, io, { debug, c });
    if (json) {
      const errors =
        error instanceof InvalidDataError
          ? error.problems.map(problemJson)
          : [{ code: error instanceof CsiError ? error.code : 'UNEXPECTED', message: error instanceof Error ? error.message : String(error) }];
      const warnings = error instanceof InvalidDataError ? error.warnings.map(problemJson) : [];
      io.stdout.write(`${JSON.stringify({ ok: false, exitCode: code, errors, warnings })}\n`);
    }
    return code;
  }
}
