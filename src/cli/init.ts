import { resolve } from 'node:path';
import { Command } from 'commander';
import { ExitCode } from '../errors.js';
import { init } from '../scaffold.js';
import type { InitOptions } from '../scaffold.js';
import { CSI_COMMAND, examplesText } from './help.js';
import type { Io } from './io.js';
import { logFor, shownPath } from './say.js';

/** `csi init [dir]`: a new data set that validates and builds straight away. */
export function initCommand(io: Io, run: (work: () => Promise<number>) => void): Command {
  return new Command('init')
    .description('start a new plan: csi.config.yaml and data/ with an example of every file, ready to build')
    .argument('[dir]', 'folder to create it in', '.')
    .option('--force', 'replace files that already exist', false)
    .option('--council <name>', 'the council, written into csi.config.yaml and report.yaml')
    .option('--committee <name>', 'the committee, written into csi.config.yaml and report.yaml')
    .addHelpText('after', `
${examplesText([
  ['csi init', 'here: csi.config.yaml, data/, schemas/ and a CI workflow'],
  ['csi init plans --council "Example Borough Council" --committee "Children\'s Scrutiny Committee"'],
  ['csi init --force', 'start again, replacing the files init writes'],
])}
Without --force, init writes nothing if any file it would write is there already.`)
    .action((dir: string, flags: InitOptions & { force: boolean }, command: Command) =>
      run(async () => {
        const log = logFor(io, command);
        const target = resolve(io.cwd, dir);
        const written = await init(target, flags);
        for (const path of written) log.result(`created ${shownPath(path, io.cwd)}`);
        const cd = target === resolve(io.cwd) ? '' : `cd ${shownPath(target, io.cwd)} && `;
        log.note(`next: ${cd}${CSI_COMMAND} build-report   (or ${CSI_COMMAND} preview, to see the report change as you edit)`);
        return ExitCode.ok;
      }),
    );
}
