import { Command } from 'commander';
import { checkDataDir } from '../data/read.js';
import { ExitCode, InvalidDataError } from '../errors.js';
import { formatProblem } from '../problem-text.js';
import { colourFor, formatProblems, problemCount, problemJson } from './io.js';
import { examplesText } from './help.js';
import type { Io } from './io.js';
import { shownPath } from './say.js';
import { SETTINGS_HELP, settingsFor } from './settings.js';

export interface ValidateFlags {
  json: boolean;
  strict: boolean;
  config?: string;
  theme?: string;
}

/** `csi validate [data-dir]`: every problem in the data at once, or "valid". */
export function validateCommand(io: Io, run: (work: () => Promise<number>) => void): Command {
  return new Command('validate')
    .description('check the data and list every problem at once, with file, line and column')
    .argument('[data-dir]', 'folder holding report.yaml and the appendix files (default: data, or data: in csi.config.yaml)')
    .option('--json', 'print {"valid": …, "errors": […], "warnings": […]} on stdout instead', false)
    .option('--strict', 'fail (exit 1) on warnings too, as on errors: for CI', false)
    .option('--config <file>', 'settings file (default: CSI_CONFIG, then csi.config.yaml here if there is one)')
    .option('--theme <dir>', 'check this theme\'s templates too, as build-report would load them')
    .addHelpText('after', `
Runs every check build-report runs before it renders: csi.config.yaml (logo, colours,
the council and committee report.yaml must name), the data, and the theme's templates.

Warnings are for data that reads, but most likely not as meant: a "#" that cut a text
short, invisible or curly-quote characters pasted from Word, a Word bullet, a Markdown
table that YAML folds into one line. They are printed; the exit code stays 0 unless
--strict.

Statuses and ratings are checked against the words csi.config.yaml (or CSI_CONFIG) sets.

${SETTINGS_HELP}

Exit codes: 0 the data is valid, 1 it has problems (or warnings, with --strict), 2 wrong usage.

${examplesText([
  ['csi validate', 'check data/ (or the folder csi.config.yaml names)'],
  ['csi validate data'],
  ['csi validate --json', 'for CI and editors: one JSON object on stdout'],
  ['csi validate --strict', 'CI: fail on warnings too'],
])}`)
    .action((dataDir: string | undefined, flags: ValidateFlags, command: Command) =>
      run(async () => {
        const globals = command.optsWithGlobals<{ color?: boolean; debug?: boolean }>();
        const c = colourFor(io.stderr, io.env, globals.color === false ? false : undefined);
        const json = (valid: boolean, error: Pick<InvalidDataError, 'problems' | 'warnings'>) =>
          io.stdout.write(`${JSON.stringify({ valid, errors: error.problems.map(problemJson), warnings: error.warnings.map(problemJson) })}\n`);
        const invalid = (error: InvalidDataError) => {
          if (flags.json) json(false, error);
          else {
            io.stderr.write(formatProblems(error, io.cwd, c, globals.debug === true));
            io.stderr.write(c.red(`csi: ${problemCount(error)} in ${shownPath(error.dataDir, io.cwd)}\n`));
          }
          return ExitCode.invalidData;
        };
        try {
          // The checks build-report runs before it renders: settings (config, logo, colours), the data, the theme.
          const settings = await settingsFor(io, command, { config: flags.config, dataDir, theme: flags.theme }, ['data', 'theme']);
          const { files, result } = await checkDataDir(settings.dataDir, { expected: settings.branding, statuses: settings.statuses });
          const { warnings } = result;
          if (!result.ok) return invalid(new InvalidDataError(result.problems, settings.dataDir, warnings));
          if (settings.theme) await (await import('../view/html.js')).loadTemplates(settings.theme);
          if (flags.strict && warnings.length > 0) return invalid(new InvalidDataError([], settings.dataDir, warnings));
          if (flags.json) {
            json(true, { problems: [], warnings });
            return ExitCode.ok;
          }
          for (const w of warnings) io.stderr.write(formatProblem(w, settings.dataDir, io.cwd, c, false, true));
          const n = warnings.length;
          const noted = n === 0 ? '' : `, with ${n} warning${n === 1 ? '' : 's'}`;
          io.stdout.write(`${shownPath(settings.dataDir, io.cwd)} is valid: ${files.size} file${files.size === 1 ? '' : 's'} checked${noted}\n`);
          return ExitCode.ok;
        } catch (error) {
          if (error instanceof InvalidDataError) return invalid(error);
          throw error;
        }
      }),
    );
}
