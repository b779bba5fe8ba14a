import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { resolveSettings } from '../config.js';
import { closest } from '../data/problems.js';
import { formatLogJson, formatLogText } from '../diff/format-log.js';
import { itemHistory } from '../diff/history.js';
import { VersionReader } from '../diff/source.js';
import { CsiError, ExitCode } from '../errors.js';
import { colourFor } from './io.js';
import type { Io } from './io.js';

export interface LogFlags {
  data: string;
  format: 'text' | 'json';
}

/** `csi log <id>`: one item's history across commits. */
export function logCommand(io: Io, run: (work: () => Promise<number>) => void): Command {
  return new Command('log')
    .description('show the history of one item across commits: when it was added, each status change and rewording')
    .argument('<id>', 'the id of a chronology entry, recommendation, aspiration, section, appendix or framework body')
    .option('--data <dir>', 'the data folder; history is read from the git repository that holds it', 'data')
    .addOption(new Option('-f, --format <format>', 'how to print the history').choices(['text', 'json']).default('text'))
    .addHelpText('after', `
Only commits that changed the data folder are read; each is compared with its
parent, so a change made on a branch is shown at the commit that made it.

Examples:
  $ csi log ofsted-2012-r03
  $ csi log aspiration-2017-04 --format json`)
    .action((id: string, flags: LogFlags, command: Command) =>
      run(async () => {
        const { statuses } = await resolveSettings({}, io.env, io.cwd);
        const reader = new VersionReader({ dataDir: resolve(io.cwd, flags.data), cwd: io.cwd, statuses });
        const versions = await reader.history();
        const history = itemHistory(id, versions);
        if (history.events.length === 0) {
          const known = [...new Set(versions.flatMap((v) => v.items?.items.map((i) => i.id) ?? []))];
          const guess = closest(id, known);
          throw new CsiError(`no item with id "${id}" in the history of ${flags.data}`, {
            code: 'UNKNOWN_ID',
            kind: 'usage',
            hint: guess ? `did you mean "${guess}"?` : 'ids are the `id:` keys in the data files',
          });
        }
        const noColor = command.optsWithGlobals().color === false;
        io.stdout.write(
          flags.format === 'json'
            ? formatLogJson(history)
            : formatLogText(history, colourFor(io.stdout, io.env, noColor ? false : undefined)),
        );
        return ExitCode.ok;
      }),
    );
}
