import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { CsiError, ExitCode, InvalidDataError } from '../errors.js';
import { checkDataDir } from '../data/read.js';
import { trackerCsv, trackerSheets, trackerWorkbook } from '../export/tracker.js';
import { AUDIENCES } from '../model/exempt.js';
import type { Audience } from '../model/exempt.js';
import { buildModel } from '../model/report.js';
import { withhold } from '../model/withhold.js';
import { writeAtomic } from '../output.js';
import { examplesText } from './help.js';
import type { Io } from './io.js';
import { shownPath } from './say.js';
import { SETTINGS_HELP, settingsFor } from './settings.js';

export interface ExportFlags {
  data?: string;
  config?: string;
  format: 'xlsx' | 'csv';
  out?: string;
  appendix?: string;
  audience: Audience;
}

/** `csi export`: the plan's actions as a tracker sheet, for colleagues who update in Excel. */
export function exportCommand(io: Io, run: (work: () => Promise<number>) => void): Command {
  return new Command('export')
    .description('write the plan\'s actions as a tracker (.xlsx or .csv) for colleagues who update it in Excel; csi import reads it back')
    .option('--data <dir>', 'the data folder (default: data, or data: in csi.config.yaml)')
    .option('--config <file>', 'settings file (default: CSI_CONFIG, then csi.config.yaml here if there is one)')
    .addOption(new Option('-f, --format <format>', 'a workbook, or CSV (one appendix)').choices(['xlsx', 'csv']).default('xlsx'))
    .option('-o, --out <file>', 'the file to write (default: tracker.xlsx, or the appendix key .csv)')
    .option('--appendix <key>', 'only this appendix of actions (CSV holds one)')
    .addOption(new Option('--audience <audience>', 'public leaves exempt actions and fields out; exempt keeps them, with their paragraph').choices(AUDIENCES).default('public'))
    .addHelpText('after', `
A sheet per appendix of actions: its title, a frozen header row, areas merged
down their rows, status cells in the plan's colours with the word in them, and
last the "csi group" and "csi id" columns, by which csi import recognises each
row when the sheet comes back. Exported and imported again, the plan is unchanged.

${SETTINGS_HELP}

${examplesText([
  ['csi export', 'tracker.xlsx: a sheet per appendix of actions'],
  ['csi export --format csv --appendix recommendations --out tracker.csv'],
])}`)
    .action((flags: ExportFlags, command: Command) =>
      run(async () => {
        const settings = await settingsFor(io, command, { config: flags.config, dataDir: flags.data }, ['data']);
        const { result } = await checkDataDir(settings.dataDir, { expected: settings.branding, statuses: settings.statuses, warnings: false });
        if (!result.ok) throw new InvalidDataError(result.problems, settings.dataDir);
        const model = withhold(buildModel(result.data), flags.audience);
        let sheets = trackerSheets(result.data, model, settings.statuses);
        if (flags.appendix) sheets = sheets.filter((s) => s.key === flags.appendix);
        if (sheets.length === 0) {
          throw new CsiError(flags.appendix ? `there is no appendix of actions "${flags.appendix}" to export` : 'the plan has no appendix of actions to export', {
            code: 'USAGE', kind: 'usage', hint: 'csi export writes appendices of kind: recommendations',
          });
        }
        if (flags.format === 'csv' && sheets.length > 1) {
          throw new CsiError(`a CSV file holds one appendix; the plan has ${sheets.length}`, {
            code: 'USAGE', kind: 'usage', hint: `choose one with --appendix: ${sheets.map((s) => s.key).join(', ')}`,
          });
        }
        const out = resolve(io.cwd, flags.out ?? (flags.format === 'csv' ? `${sheets[0]!.key}.csv` : 'tracker.xlsx'));
        const content = flags.format === 'csv' ? trackerCsv(sheets[0]!) : await trackerWorkbook(sheets);
        await writeAtomic(out, content);
        const rows = sheets.reduce((n, s) => n + s.rows.length, 0);
        io.stdout.write(`${shownPath(out, io.cwd)}: ${rows} action${rows === 1 ? '' : 's'} in ${sheets.length} sheet${sheets.length === 1 ? '' : 's'}\n`);
        return ExitCode.ok;
      }),
    );
}
