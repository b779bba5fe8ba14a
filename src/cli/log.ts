import { Command, Option } from 'commander';
import { closest } from '../data/problems.js';
import { formatAllJson, formatAllText, formatLogJson, formatLogText } from '../diff/format-log.js';
import { itemHistory, planHistory } from '../diff/history.js';
import { VersionReader } from '../diff/source.js';
import { CsiError, ExitCode } from '../errors.js';
import { AUDIENCES } from '../model/exempt.js';
import type { Audience } from '../model/exempt.js';
import { colourFor } from './io.js';
import { examplesText } from './help.js';
import type { Io } from './io.js';
import { shownPath } from './say.js';
import { SETTINGS_HELP, settingsFor } from './settings.js';

export interface LogFlags {
  data?: string;
  config?: string;
  format: 'text' | 'json';
  audience: Audience;
  all?: boolean;
}

/** `csi log <id>`: one item's history across commits. */
export function logCommand(io: Io, run: (work: () => Promise<number>) => void): Command {
  return new Command('log')
    .description('show the history of one item across commits: when it was added, each status change and rewording')
    .argument('[id]', 'the id of a chronology entry, recommendation, aspiration, section, appendix or framework body')
    .option('--all', 'every item\'s history, in one pass over the commits')
    .option('--data <dir>', 'the data folder; history is read from the git repository that holds it (default: data, or data: in csi.config.yaml)')
    .option('--config <file>', 'settings file (default: CSI_CONFIG, then csi.config.yaml here if there is one)')
    .addOption(new Option('-f, --format <format>', 'how to print the history').choices(['text', 'json']).default('text'))
    .addOption(
      new Option('--audience <audience>', 'public: only what happened while the item was public; exempt: everything, each exempt change marked')
        .choices(AUDIENCES)
        .default('public'),
    )
    .addHelpText('after', `
${SETTINGS_HELP}

Only commits that changed the data folder are read; each is compared with its
parent, so a change made on a branch is shown at the commit that made it.
For the public (the default), a change is shown only if the item was public
before and after it; --audience exempt shows everything, exempt changes marked.

${examplesText([
  ['csi log ofsted-2024-r01', 'an id from the data: here, the first recommendation csi init writes'],
  ['csi log aspiration-01 --format json'],
  ['csi log --all --format json', "every item's history in one pass"],
])}`)
    .action((id: string | undefined, flags: LogFlags, command: Command) =>
      run(async () => {
        if ((id === undefined) === !flags.all) {
          throw new CsiError(id === undefined ? 'csi log needs an id, or --all' : 'give an id or --all, not both', {
            code: 'USAGE',
            kind: 'usage',
            hint: 'csi log ofsted-2012-r03, or csi log --all for every item',
          });
        }
        const settings = await settingsFor(io, command, { config: flags.config, dataDir: flags.data }, ['data'], { branding: false });
        const reader = new VersionReader({ dataDir: settings.dataDir, cwd: io.cwd, statuses: settings.statuses, meetings: settings.meetings });
        const unknown = (known: string[]) => {
          // Only ids the log would tell are suggested (an exempt item's id would say it exists), never the id itself.
          const guess = closest(id!, known.filter((k) => k !== id));
          return new CsiError(`no item with id "${id}" in the history of ${shownPath(settings.dataDir, io.cwd)}`, {
            code: 'UNKNOWN_ID',
            kind: 'usage',
            hint: guess ? `did you mean "${guess}"?` : 'ids are the `id:` keys in the data files',
          });
        };
        // An id no version of the data spells is answered without reading the history: the likely slip is for an id there now.
        if (id !== undefined && !(await reader.mayMention(id))) {
          const now = await reader.idsNow(flags.audience);
          if (now) throw unknown(now);
        }
        const plan = await reader.plan(flags.audience);
        const { versions, meetings } = plan;
        const noColor = command.optsWithGlobals().color === false;
        const colour = colourFor(io.stdout, io.env, noColor ? false : undefined);
        if (id === undefined) {
          const all = plan.history;
          io.stdout.write(flags.format === 'json' ? formatAllJson(all, versions, meetings) : formatAllText(all, versions, meetings, colour));
          return ExitCode.ok;
        }
        // One item's story is told from the lists that hold it, not from every item's.
        const history = itemHistory(id, planHistory(versions, id));
        if (history.events.length === 0) throw unknown([...new Set(plan.history.events.map((e) => e.id))]);
        io.stdout.write(flags.format === 'json' ? formatLogJson(history, versions, meetings) : formatLogText(history, colour, versions, meetings));
        return ExitCode.ok;
      }),
    );
}
