import { dirname, join, resolve } from 'node:path';
import { Command } from 'commander';
import { ExitCode } from '../errors.js';
import { importTracker } from '../import/index.js';
import type { ImportResult } from '../import/index.js';
import { MAPPING_FILE } from '../import/mapping.js';
import { formatProblem } from '../problem-text.js';
import { examplesText } from './help.js';
import { colourFor } from './io.js';
import type { Io } from './io.js';
import { shownPath } from './say.js';
import { SETTINGS_HELP, settingsFor } from './settings.js';

export interface ImportFlags {
  data?: string;
  config?: string;
  sheet?: string;
  mapping?: string;
}

/** `csi import TRACKER`: the council's Excel or CSV tracker into the plan's YAML. */
export function importCommand(io: Io, run: (work: () => Promise<number>) => void): Command {
  return new Command('import')
    .description("bring the council's tracker (.xlsx or .csv) into the plan: new actions added, this month's statuses and updates put in")
    .argument('<tracker>', 'the tracker: an Excel workbook (.xlsx) or a CSV file')
    .option('--data <dir>', 'the data folder to import into (default: data, or data: in csi.config.yaml)')
    .option('--config <file>', 'settings file (default: CSI_CONFIG, then csi.config.yaml here if there is one)')
    .option('--sheet <name>', 'import only this sheet of the workbook')
    .option('--mapping <file>', `which column holds which field (default: ${MAPPING_FILE} beside the data folder; written on the first import)`)
    .addHelpText('after', `
The first import finds the row of column headings (Ref, Area, Action, Lead, Due,
RAG, Update …), works out which column holds which field and writes that to
${MAPPING_FILE}, for you to check, edit and keep: later imports read it.

Each sheet fills one appendix of actions: a new file the first time (listed in
report.yaml's appendices), updated in place afterwards. Areas come from an area
column (merged cells too) or from rows that hold only an area's name. Statuses
are matched to the plan's words, case and spacing forgiven; dates may be Excel
dates, 31/03/2025, March 2025 or Q3 2025; bullets in a cell become a list.

Importing again updates the plan rather than replacing it: changed statuses,
updates and dues are written into the YAML where they stand (comments and
layout kept), new rows are added, and rows no longer in the sheet are listed,
never deleted. Review the change with csi diff before you commit it.

Nothing is written unless every row reads and the plan is valid afterwards.

${SETTINGS_HELP}

Exit codes: 0 imported, 1 the tracker (or the plan afterwards) has problems, 2 wrong usage.

${examplesText([
  ['csi import tracker.xlsx', "this month's tracker into the plan"],
  ['csi import tracker.xlsx --sheet recommendations', 'only this sheet of the workbook'],
  ['csi import tracker.xlsx --mapping tracker-mapping.yaml', 'as the first import mapped it'],
])}`)
    .action((tracker: string, flags: ImportFlags, command: Command) =>
      run(async () => {
        const settings = await settingsFor(io, command, { config: flags.config, dataDir: flags.data }, ['data']);
        const c = colourFor(io.stderr, io.env, command.optsWithGlobals().color === false ? false : undefined);
        const mappingFile = flags.mapping ? resolve(io.cwd, flags.mapping) : join(dirname(settings.dataDir), MAPPING_FILE);
        const result: ImportResult = await importTracker({
          tracker: resolve(io.cwd, tracker),
          dataDir: settings.dataDir,
          mappingFile,
          scheme: settings.statuses,
          dueWords: (settings.statuses as { dueWords?: readonly string[] }).dueWords ?? [],
          expected: settings.branding,
          sheet: flags.sheet,
        });
        for (const w of result.warnings) io.stderr.write(formatProblem(w, dirname(resolve(io.cwd, tracker)), io.cwd, c, false, true));
        io.stdout.write(describeImport(result, settings.dataDir, mappingFile, io.cwd));
        return ExitCode.ok;
      }),
    );
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What the import did, a line per appendix file, then what to do next. */
export function describeImport(result: ImportResult, dataDir: string, mappingFile: string, cwd: string): string {
  const lines: string[] = [];
  for (const a of result.appendices) {
    const file = shownPath(join(dataDir, a.file), cwd);
    if (a.created) {
      lines.push(`${file}: written, ${plural(a.items, 'action')} in ${plural(a.groups, 'area')}`);
      continue;
    }
    const parts = [
      a.updated.length > 0 ? `${plural(a.updated.length, 'action')} updated` : '',
      a.added.length > 0 ? `${a.added.length} added` : '',
      a.moved.length > 0 ? `${a.moved.length} moved to another area` : '',
    ].filter(Boolean);
    lines.push(`${file}: ${parts.length > 0 ? parts.join(', ') : 'no change'}`);
    for (const u of a.updated) lines.push(`  ${u.id}: ${u.fields.join(', ')}`);
    for (const id of a.added) lines.push(`  ${id}: added`);
    for (const id of a.moved) lines.push(`  ${id}: moved`);
    if (a.notInSheet.length > 0) {
      lines.push(`  not in the sheet, left as they are: ${a.notInSheet.join(', ')}`);
    }
  }
  if (result.mappingWritten) lines.push(`${shownPath(mappingFile, cwd)}: written (which column holds which field; check it, edit it if need be, and keep it)`);
  lines.push('next: npx --no-install csi validate, then csi diff to review the change before you commit it');
  return `${lines.join('\n')}\n`;
}
