import { resolve } from 'node:path';
import { Command } from 'commander';
import { ExitCode } from '../errors.js';
import { init } from '../scaffold.js';
import type { InitOptions } from '../scaffold.js';
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
Examples:
  $ csi init                              # here: csi.config.yaml, .gitignore, data/*.yaml,
                                          # schemas/ for editors and .github/workflows/report.yml
  $ csi init plans --council "Example Borough Council" --committee "Children's Scrutiny Committee"
  $ csi init --force                      # start again, replacing the files init writes`)
    .action((dir: string, flags: InitOptions & { force: boolean }, command: Command) =>
      run(async () => {
        const log = logFor(io, command);
        const target = resolve(io.cwd, dir);
        const written = await init(target, flags);
        for (const path of written) log.result(`created ${shownPath(path, io.cwd)}`);
        const cd = target === resolve(io.cwd) ? '' : `cd ${shownPath(target, io.cwd)} && `;
        log.note(`next: ${cd}csi build-report   (or csi preview, to see the report change as you edit)`);
        return ExitCode.ok;
      }),
    );
}
