import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { resolveSettings } from '../config.js';
import { formatCsv } from '../diff/format-csv.js';
import { formatHtml } from '../diff/format-html.js';
import { formatJson } from '../diff/format-json.js';
import { formatMarkdown } from '../diff/format-markdown.js';
import { formatText } from '../diff/format-text.js';
import { diffPlans, hasChanges } from '../diff/plan-change.js';
import { present } from '../diff/present.js';
import { InvalidRevisionData, VersionReader } from '../diff/source.js';
import { textconv } from '../diff/textconv.js';
import { CsiError, ExitCode, InvalidDataError } from '../errors.js';
import { AUDIENCES } from '../model/exempt.js';
import type { Audience } from '../model/exempt.js';
import { formatProblem } from '../problem-text.js';
import { colourFor } from './io.js';
import { examplesText } from './help.js';
import type { Io } from './io.js';
import { SETTINGS_HELP, settingsFor } from './settings.js';

export type DiffFormat = 'text' | 'markdown' | 'json' | 'html' | 'csv';

export interface DiffFlags {
  data?: string;
  config?: string;
  format: DiffFormat;
  exitCode: boolean;
  audience: Audience;
  textconv?: string;
}

/**
 * Prints the problems that make one side of the diff unreadable, naming the
 * revision ("HEAD~1:data/chronology.yaml:12:5"), and returns exit code 1.
 */
export function reportInvalidSide(error: InvalidDataError, io: Io, noColor: boolean): number {
  const c = colourFor(io.stderr, io.env, noColor ? false : undefined);
  const atRevision = error instanceof InvalidRevisionData;
  // A revision's files are named as git names them, not as paths under the working directory.
  for (const p of error.problems) io.stderr.write(formatProblem(p, error.dataDir, atRevision ? '' : io.cwd, c));
  const n = error.problems.length;
  const where = atRevision ? `the data at ${error.revision}` : error.dataDir;
  io.stderr.write(c.red(`csi: ${n} problem${n === 1 ? '' : 's'} in ${where}; nothing was compared\n`));
  return ExitCode.invalidData;
}

async function printTextconv(file: string, io: Io): Promise<number> {
  const path = resolve(io.cwd, file);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new CsiError(`cannot read "${file}"`, { code: 'NO_FILE', kind: 'usage', cause });
  }
  io.stdout.write(textconv(basename(path), bytes));
  return ExitCode.ok;
}

/** `csi diff [from] [to]`: what changed in the plan, item by item. */
export function diffCommand(io: Io, run: (work: () => Promise<number>) => void): Command {
  return new Command('diff')
    .description('show what changed in the plan between two versions, item by item (by id)')
    .argument('[from]', 'git revision or data folder to compare from', 'HEAD')
    .argument('[to]', 'git revision or data folder to compare to (default: the data folder as it is now)')
    .option('--data <dir>', 'the data folder; revisions are read from the git repository that holds it (default: data, or data: in csi.config.yaml)')
    .option('--config <file>', 'settings file (default: CSI_CONFIG, then csi.config.yaml here if there is one)')
    .addOption(new Option('-f, --format <format>', 'how to print the changes').choices(['text', 'markdown', 'json', 'html', 'csv']).default('text'))
    .addOption(
      new Option('--audience <audience>', 'public: nothing exempt on either side is compared or shown; exempt: everything, each exempt change marked')
        .choices(AUDIENCES)
        .default('public'),
    )
    .option('--exit-code', 'exit 1 when something changed (as git diff --exit-code), 0 when nothing did', false)
    .option('--textconv <file>', 'print one data file item by item, for git diff (see docs/how-to/git-diff.md)')
    .addHelpText('after', `
${SETTINGS_HELP}

Each side is a git revision, in any form git accepts (read from the repository
holding --data), a meeting (meeting:2017-09-19: by report.yaml's meeting_date, or
csi.config.yaml's meetings and meeting_tags), or a data folder. Items are matched
by id: added, removed, moved, and field by field (status, dates, owner, reference),
with rewording shown word by word, as the reader reads it (references as "Appendix 2").
Under the summary, the direction of travel: how many tracked items are better, the
same or worse since the older version.

For the public (the default), a change is shown only if the item is public in
both versions and nothing holding it (section, appendix, group) is exempt in
either: the output can be published. --audience exempt shows everything, and
marks each change that touches exempt information "Exempt information,
paragraph N of Schedule 12A".

${examplesText([
  ['csi diff', 'HEAD → the data folder as it is now'],
  ['csi diff HEAD~1 HEAD --format json', 'between two commits, for a script'],
  ['csi diff HEAD~1 HEAD --format csv > changes.csv', 'one row per changed field, for a spreadsheet'],
  ['csi diff HEAD~1 HEAD --format markdown > comment.md', 'public: fit for a pull request'],
  ['csi diff HEAD~1 --audience exempt', 'for members and officers: exempt changes too, marked'],
  ['cp -r data draft', 'a copy to edit, to show the next line'],
  ['csi diff data draft', 'two data folders, no git needed'],
  ['csi diff HEAD~1 --exit-code', 'CI: exit 1 if anything changed since that commit'],
])}`)
    .action((from: string, to: string | undefined, flags: DiffFlags, command: Command) =>
      run(async () => {
        const noColor = command.optsWithGlobals().color === false;
        if (flags.textconv !== undefined) {
          if (command.args.length > 0) {
            throw new CsiError('--textconv takes one file and no revisions', { code: 'USAGE', kind: 'usage', hint: 'csi diff --textconv data/chronology.yaml' });
          }
          return printTextconv(flags.textconv, io);
        }
        const settings = await settingsFor(io, command, { config: flags.config, dataDir: flags.data }, ['data'], { branding: false });
        const reader = new VersionReader({ dataDir: settings.dataDir, cwd: io.cwd, statuses: settings.statuses, meetings: settings.meetings });
        let change;
        try {
          const before = await reader.read(from);
          const after = await reader.read(to);
          change = diffPlans(before, after, flags.audience);
        } catch (error) {
          if (error instanceof InvalidDataError) return reportInvalidSide(error, io, noColor);
          throw error;
        }
        switch (flags.format) {
          case 'csv':
            io.stdout.write(formatCsv(change));
            break;
          case 'json':
            io.stdout.write(formatJson(change));
            break;
          case 'markdown':
            io.stdout.write(formatMarkdown(present(change)));
            break;
          case 'html':
            io.stdout.write(formatHtml(present(change)));
            break;
          case 'text':
            io.stdout.write(formatText(present(change), colourFor(io.stdout, io.env, noColor ? false : undefined)));
            break;
        }
        return flags.exitCode && hasChanges(change) ? ExitCode.invalidData : ExitCode.ok;
      }),
    );
}
