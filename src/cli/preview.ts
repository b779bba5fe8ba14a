import { Command, InvalidArgumentError } from 'commander';
import { ExitCode, InvalidDataError } from '../errors.js';
import { DEFAULT_PORT } from '../preview/port.js';
import { examplesText } from './help.js';
import type { Io } from './io.js';
import { colourFor, formatProblems, reportFailure } from './io.js';
import { logFor } from './say.js';
import { describeSettings } from './settings.js';
import { openForUser } from './open.js';

interface PreviewFlags {
  port: number;
  config?: string;
  theme?: string;
  open: boolean;
}

function portNumber(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535');
  return port;
}

/** How often preview looks whether the process that started it is still there. */
const PARENT_CHECK_MS = 500;

/**
 * Resolves on Ctrl-C (SIGINT), SIGTERM or SIGHUP, or once the process that started csi
 * is gone (an npx or a shell killed outright): a preview nobody can stop is not left serving.
 */
function stopRequested(parent: number): Promise<string> {
  return new Promise((resolve) => {
    // Once gone, csi is adopted by another process (init, or a subreaper).
    const orphaned = setInterval(() => {
      if (process.ppid !== parent) stop('parent gone');
    }, PARENT_CHECK_MS);
    orphaned.unref();
    const stop = (signal: string) => {
      clearInterval(orphaned);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.off('SIGHUP', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    process.on('SIGHUP', stop);
  });
}

/** `csi preview [data-dir]`: the report in a browser, rebuilt as files are saved. */
export function previewCommand(io: Io, run: (work: () => Promise<number>) => void): Command {
  return new Command('preview')
    .description('serve the report on 127.0.0.1 and rebuild it whenever a data, config or theme file is saved')
    .argument('[data-dir]', 'folder holding report.yaml and the appendix files (default: data)')
    .option('-p, --port <number>', 'port to listen on, 0 for any free one', portNumber, DEFAULT_PORT)
    .option('--config <file>', 'settings file (default: CSI_CONFIG, then csi.config.yaml here if there is one)')
    .option('--theme <dir>', 'folder of templates and CSS that replace the built-in ones by name')
    .option('--open', 'open the preview in your browser (never in CI or when output is not a terminal)', false)
    .addHelpText('after', `
${examplesText([
  ['csi preview', `http://127.0.0.1:${DEFAULT_PORT}/ shows data/ as a report`],
  ['csi preview data --port 0 --open', 'any free port, opened in your browser'],
])}
Only this computer can reach the preview. Ctrl-C stops it.`)
    .action((dataDir: string | undefined, flags: PreviewFlags, command: Command) =>
      run(async () => {
        const parent = process.ppid; // before anything slow, so a parent killed during the first build is noticed
        const log = logFor(io, command);
        const { debug, color } = command.optsWithGlobals<{ debug?: boolean; color?: boolean }>();
        const c = colourFor(io.stderr, io.env, color === false ? false : undefined);
        // The server, the watcher and the whole pipeline load only when preview runs.
        const { startPreview } = await import('../preview/server.js');
        let described = false;
        const preview = await startPreview({
          onSettings: (settings) => {
            if (!described) describeSettings(settings, io.cwd, log, ['data', 'theme']);
            described = true;
          },
          flags: { ...flags, dataDir },
          env: io.env,
          cwd: io.cwd,
          port: flags.port,
          onBuild: (build) => {
            if (build.ok) {
              log.note(`csi preview: ${build.summary}`);
            } else if (build.error instanceof InvalidDataError) {
              io.stderr.write(formatProblems(build.error, io.cwd, c));
              io.stderr.write(c.red(`csi preview: ${build.summary}\n`));
            } else {
              reportFailure(build.error, io, { debug: !!debug, c });
            }
          },
        });
        const stop = stopRequested(parent);
        log.result(`csi preview: serving ${preview.url}  (Ctrl-C to stop)`);
        if (flags.open) openForUser(preview.url, io, log);
        await stop;
        await preview.close();
        log.note('csi preview: stopped');
        return ExitCode.ok;
      }),
    );
}
