import { Command } from 'commander';
import { checkDataDir } from '../data/read.js';
import { ExitCode, InvalidDataError } from '../errors.js';
import { colourFor, formatProblem, problemJson } from './io.js';
import type { Io } from './io.js';
import { shownPath } from './say.js';
import { settingsFor } from './settings.js';

export interface ValidateFlags {
  json: boolean;
  config?: string;
  theme?: string;
}

/** `csi validate [data-dir]`: every problem in the data at once, or "valid". */
export function validateCommand(io: Io, run: (work: () => Promise<number>) => void): Command {
  return new Command('validate')
    .description('check the data and list every problem at once, with file, line and column')
    .argument('[data-dir]', 'folder holding report.yaml and the appendix files (default: data, or data: in csi.config.yaml)')
    .option('--json', 'print {"valid": …, "errors": […]} on stdout instead', false)
    .option('--config <file>', 'settings file (default: CSI_CONFIG, then csi.config.yaml here if there is one)')
    .option('--theme <dir>', 'check this theme\'s templates too, as build-report would load them')
    .addHelpText('after', `
Runs every check build-report runs before it renders: csi.config.yaml (logo, colours,
the council and committee report.yaml must name), the data, and the theme's templates.

Exit codes: 0 the data is valid, 1 it has problems, 2 wrong usage.

Examples:
  $ csi validate                 # check data/ (or the folder csi.config.yaml names)
  $ csi validate plans/2018
  $ csi validate --json          # for CI and editors: one JSON object on stdout`)
    .action((dataDir: string | undefined, flags: ValidateFlags, command: Command) =>
      run(async () => {
        const globals = command.optsWithGlobals<{ color?: boolean; debug?: boolean }>();
        const invalid = (error: InvalidDataError) => {
          const { problems } = error;
          if (flags.json) {
            io.stdout.write(`${JSON.stringify({ valid: false, errors: problems.map(problemJson) })}\n`);
            return ExitCode.invalidData;
          }
          const c = colourFor(io.stderr, io.env, globals.color === false ? false : undefined);
          for (const p of problems) io.stderr.write(formatProblem(p, error.dataDir, io.cwd, c, globals.debug === true));
          const n = problems.length;
          io.stderr.write(c.red(`csi: ${n} problem${n === 1 ? '' : 's'} in ${shownPath(error.dataDir, io.cwd)}\n`));
          return ExitCode.invalidData;
        };
        try {
          // The checks build-report runs before it renders: settings (config, logo, colours), the data, the theme.
          const settings = await settingsFor(io, command, { config: flags.config, dataDir, theme: flags.theme }, ['data', 'theme']);
          const { files, result } = await checkDataDir(settings.dataDir, { expected: settings.branding });
          if (!result.ok) return invalid(new InvalidDataError(result.problems, settings.dataDir));
          if (settings.theme) await (await import('../render/html.js')).loadTemplates(settings.theme);
          if (flags.json) {
            io.stdout.write(`${JSON.stringify({ valid: true, errors: [] })}\n`);
          } else {
            io.stdout.write(`${shownPath(settings.dataDir, io.cwd)} is valid: ${files.size} file${files.size === 1 ? '' : 's'} checked\n`);
          }
          return ExitCode.ok;
        } catch (error) {
          if (error instanceof InvalidDataError) return invalid(error);
          throw error;
        }
      }),
    );
}
