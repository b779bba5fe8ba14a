import { resolve } from 'node:path';
import type { Progress } from '../pipeline.js';
import type { Io } from './io.js';
import { shownPath } from './say.js';

/** Hears the build's progress, one stage at a time. */
export interface ProgressDisplay {
  onProgress(progress: Progress): void;
  /** The build has ended, well or not. */
  done(ok: boolean): void;
}

/**
 * Progress only on a terminal: never with `--json`, in CI, on a dumb terminal, or when
 * stderr is piped or redirected. A terminal that reports no width (`script`, some CI
 * runners) gets none either: ora cannot lay out a spinner line in zero columns.
 */
export function wantsProgress(io: Io, json: boolean): boolean {
  const columns = (io.stderr as { columns?: number }).columns ?? 0;
  return !!io.stderr.isTTY && columns > 0 && !json && !('CI' in io.env) && io.env.TERM !== 'dumb';
}

const shown = (path: string, cwd: string) => shownPath(resolve(cwd, path), cwd);

/**
 * What a step of the build says on a terminal, in the user's words: "validate data",
 * "render data as HTML", "print data to PDF", "write out/report.pdf". Several stages
 * make one step.
 */
export function describeStep(progress: Progress, cwd: string): string {
  const where = shown(progress.dataDir, cwd);
  switch (progress.stage) {
    case 'read':
    case 'check':
      return `validate ${where}`;
    case 'print':
    case 'finish':
      return `print ${where} to PDF`;
    case 'write':
      return `write ${shown(progress.path ?? progress.dataDir, cwd)}`;
    case 'history':
      return `read the history of ${where}`;
    default:
      return `render ${where} as HTML`;
  }
}

/**
 * A step list on stderr: a spinner beside the step that is running, then a tick and
 * the seconds it took. ora loads only here, so runs without a terminal never pay for it.
 */
export async function startProgress(io: Io, now: () => number = () => performance.now()): Promise<ProgressDisplay> {
  const { default: ora } = await import('ora');
  const spinner = ora({ stream: io.stderr as NodeJS.WritableStream, isEnabled: true, discardStdin: false });
  let current: { text: string; started: number } | undefined;
  const finish = (ok: boolean) => {
    if (!current) return;
    const text = `${current.text} (${((now() - current.started) / 1000).toFixed(2)} s)`;
    if (ok) spinner.succeed(text);
    else spinner.fail(text);
    current = undefined;
  };
  return {
    onProgress(progress) {
      const text = describeStep(progress, io.cwd);
      if (text === current?.text) return;
      finish(true);
      current = { text, started: now() };
      spinner.start(current.text);
    },
    done(ok) {
      finish(ok);
      spinner.stop();
    },
  };
}

/** For --verbose: one line for each stage as it ends, with the milliseconds it took ("html data: 12 ms"). */
export function stageTimes(say: (line: string) => void, cwd: string, now: () => number = () => performance.now()): ProgressDisplay {
  let current: { text: string; started: number } | undefined;
  const finish = () => {
    if (current) say(`${current.text}: ${Math.round(now() - current.started)} ms`);
    current = undefined;
  };
  return {
    onProgress(progress) {
      finish();
      const what = progress.stage === 'write' ? shown(progress.path ?? '', cwd) : shown(progress.dataDir, cwd);
      const prints = progress.prints === undefined ? '' : ` (printed ${progress.prints === 1 ? 'once' : `${progress.prints} times`})`;
      current = { text: `${progress.stage} ${what}${prints}`, started: now() };
    },
    done: finish,
  };
}
