import { isAbsolute, relative } from 'node:path';
import type { BuildStep } from '../pipeline.js';
import type { Io } from './io.js';

/** Shows the build's steps as they happen. */
export interface Progress {
  onStep(step: BuildStep): void;
  /** Ends the current step, ticked or crossed. */
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

/** What a step says, in the user's words: "validate data", "write out/report.pdf". */
export function describeStep(step: BuildStep, cwd: string): string {
  const where = (path: string) => (isAbsolute(path) ? relative(cwd, path) || path : path);
  switch (step.step) {
    case 'validate':
      return `validate ${where(step.dataDir)}`;
    case 'render':
      return `render ${where(step.dataDir)} as HTML`;
    case 'print':
      return `print ${where(step.dataDir)} to PDF`;
    case 'write':
      return `write ${where(step.path ?? step.dataDir)}`;
  }
}

/**
 * A step list on stderr: a spinner beside the step that is running, then a tick and
 * the seconds it took. ora loads only here, so runs without a terminal never pay for it.
 */
export async function startProgress(io: Io, now: () => number = () => performance.now()): Promise<Progress> {
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
    onStep(step) {
      finish(true);
      current = { text: describeStep(step, io.cwd), started: now() };
      spinner.start(current.text);
    },
    done(ok) {
      finish(ok);
      spinner.stop();
    },
  };
}
