import { Command, Option } from 'commander';
import { formatStatus } from '../diff/format-status.js';
import { VersionReader } from '../diff/source.js';
import { parseDuration, planStatus, unchangedFor } from '../diff/status.js';
import { CsiError, ExitCode } from '../errors.js';
import { AUDIENCES } from '../model/exempt.js';
import type { Audience } from '../model/exempt.js';
import { examplesText } from './help.js';
import type { Io } from './io.js';
import { SETTINGS_HELP, settingsFor } from './settings.js';

export interface StatusFlags {
  data?: string;
  config?: string;
  format: 'csv' | 'json' | 'markdown' | 'text';
  audience: Audience;
  unchangedFor?: string;
}

/** `csi status [rev]`: every tracked item at a revision or meeting. */
export function statusCommand(io: Io, run: (work: () => Promise<number>) => void): Command {
  return new Command('status')
    .description('list every recommendation, action and aspiration at a revision or meeting: status, owner, due, status since, direction of travel')
    .argument('[rev]', 'a revision (HEAD~3, a tag) or a meeting (meeting:2017-09-19); default: the latest commit')
    .option('--data <dir>', 'the data folder; history is read from the git repository that holds it (default: data, or data: in csi.config.yaml)')
    .option('--config <file>', 'settings file (default: CSI_CONFIG, then csi.config.yaml here if there is one)')
    .addOption(new Option('-f, --format <format>', 'how to print the table').choices(['text', 'csv', 'json', 'markdown']).default('text'))
    .option('--unchanged-for <span>', 'only items not done whose status has not changed for this long: 90d, 6w, 12m, 1y')
    .addOption(new Option('--audience <audience>', 'public: exempt items left out; exempt: every item').choices(AUDIENCES).default('public'))
    .addHelpText('after', `
${SETTINGS_HELP}

A meeting is named by report.yaml's meeting_date: the plan as it went to a meeting
is the last commit whose report.yaml names that meeting; csi.config.yaml's meetings
(date: revision) and meeting_tags ("osc-{date}") name them where that is not so.
"Status since" is the
commit that last set an item's status, and the first meeting that change went to;
"previous status" is the status at the meeting before, and "direction" whether it
is better, the same or worse by the order of the council's status words.

${examplesText([
  ['csi status', 'every item at HEAD: status, owner, due, since when'],
  [`csi status meeting:2025-01-21 --format csv > plan.csv`, 'the plan as it went to that meeting, for a spreadsheet'],
  ['csi status --unchanged-for 12m', 'in progress for more than a year'],
])}`)
    .action((rev: string | undefined, flags: StatusFlags, command: Command) =>
      run(async () => {
        const span = flags.unchangedFor === undefined ? undefined : parseDuration(flags.unchangedFor);
        if (flags.unchangedFor !== undefined && !span) {
          throw new CsiError(`"${flags.unchangedFor}" is not a length of time`, {
            code: 'USAGE',
            kind: 'usage',
            hint: 'write a number and d, w, m or y: 90d, 6w, 12m, 1y',
          });
        }
        const settings = await settingsFor(io, command, { config: flags.config, dataDir: flags.data }, ['data'], { branding: false });
        const reader = new VersionReader({ dataDir: settings.dataDir, cwd: io.cwd, statuses: settings.statuses, meetings: settings.meetings });
        const { versions, history, meetings } = await reader.plan(flags.audience);
        const index = await reader.versionIndex(rev, versions, meetings);
        const status = planStatus(versions, history, meetings, index);
        io.stdout.write(formatStatus(status, span ? unchangedFor(status, span) : status.rows, flags.format));
        return ExitCode.ok;
      }),
    );
}
