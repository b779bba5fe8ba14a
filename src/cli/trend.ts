import { Command, Option } from 'commander';
import { formatTrend } from '../diff/format-status.js';
import { VersionReader } from '../diff/source.js';
import { planTrend } from '../diff/status.js';
import { ExitCode } from '../errors.js';
import { AUDIENCES } from '../model/exempt.js';
import type { Audience } from '../model/exempt.js';
import { examplesText } from './help.js';
import type { Io } from './io.js';
import { SETTINGS_HELP, settingsFor } from './settings.js';

export interface TrendFlags {
  data?: string;
  config?: string;
  format: 'csv' | 'json' | 'markdown' | 'html';
  audience: Audience;
}

/** `csi trend`: counts by status at each meeting, overall and per appendix. */
export function trendCommand(io: Io, run: (work: () => Promise<number>) => void): Command {
  return new Command('trend')
    .description('count recommendations, actions and aspirations by status at each meeting, overall and per appendix')
    .option('--data <dir>', 'the data folder; history is read from the git repository that holds it (default: data, or data: in csi.config.yaml)')
    .option('--config <file>', 'settings file (default: CSI_CONFIG, then csi.config.yaml here if there is one)')
    .addOption(new Option('-f, --format <format>', 'csv for a spreadsheet, html for a chart with its table').choices(['csv', 'json', 'markdown', 'html']).default('csv'))
    .addOption(new Option('--audience <audience>', 'public: exempt items are not counted; exempt: every item').choices(AUDIENCES).default('public'))
    .addHelpText('after', `
${SETTINGS_HELP}

A meeting is named by report.yaml's meeting_date: the plan counted at a meeting is
the last commit whose report.yaml names it; csi.config.yaml's meetings (date:
revision) and meeting_tags ("osc-{date}") name them where that is not so. Counts
are in the latest version's status words.

${examplesText([
  ['csi trend', 'counts by status at each meeting'],
  ['csi trend --format html > trend.html', 'a chart with its table'],
  ['csi trend --format json'],
])}`)
    .action((flags: TrendFlags, command: Command) =>
      run(async () => {
        const settings = await settingsFor(io, command, { config: flags.config, dataDir: flags.data }, ['data'], { branding: false });
        const reader = new VersionReader({ dataDir: settings.dataDir, cwd: io.cwd, statuses: settings.statuses, meetings: settings.meetings });
        const { versions, history, meetings } = await reader.plan(flags.audience);
        io.stdout.write(formatTrend(planTrend(versions, meetings, history.statuses), flags.format));
        return ExitCode.ok;
      }),
    );
}
