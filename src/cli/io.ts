import { isAbsolute, relative } from 'node:path';
import { Chalk } from 'chalk';
import type { ChalkInstance } from 'chalk';
import { CsiError, ExitCode, InvalidDataError } from '../errors.js';
import { formatProblem } from '../problem-text.js';
import type { ProblemCode } from '../errors.js';

/** Where a command reads and writes; tests pass their own. */
export interface Io {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** A path as the user would type it: relative to where csi runs when it is inside, else absolute. */
export function shownPath(path: string, cwd: string): string {
  const r = relative(cwd, path);
  return r === '' ? '.' : r.startsWith('..') || isAbsolute(r) ? path : r;
}

export function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

/** Colour only for a terminal, and never when NO_COLOR is set. */
export function colourFor(stream: Io['stderr'], env: NodeJS.ProcessEnv, force?: boolean): ChalkInstance {
  const wanted = force ?? (!!stream.isTTY && !('NO_COLOR' in env && env.NO_COLOR !== ''));
  return new Chalk({ level: wanted ? 1 : 0 });
}

export interface ProblemJson {
  file: string;
  line: number;
  column: number;
  /** Where the value the problem is about ends (just after it), when it is one whole value. */
  endLine?: number;
  endColumn?: number;
  path: string;
  code: ProblemCode;
  message: string;
  hint?: string;
}

/** A data problem in the shape `--json` prints. */
export function problemJson(p: CsiError): ProblemJson {
  return {
    file: p.position?.file ?? '',
    line: p.position?.line ?? 1,
    column: p.position?.column ?? 1,
    ...(p.position?.end && { endLine: p.position.end.line, endColumn: p.position.end.column }),
    path: p.path ?? '',
    code: p.code,
    message: p.message,
    ...(p.hint ? { hint: p.hint } : {}),
  };
}

/**
 * Prints any failure the way users should see it and returns the exit code.
 * Stack traces only with --debug.
 */
export function reportFailure(error: unknown, io: Io, options: { debug: boolean; c: ChalkInstance }): number {
  const { c } = options;
  if (error instanceof InvalidDataError) {
    io.stderr.write(formatProblems(error, io.cwd, c, options.debug));
    io.stderr.write(c.red(`csi: ${problemCount(error)} in ${shownPath(error.dataDir, io.cwd)}; nothing was written\n`));
    return ExitCode.invalidData;
  }
  if (error instanceof CsiError) {
    io.stderr.write(`${c.red(`csi: ${error.message}`)}${error.hint ? ` (${error.hint})` : ''}\n`);
    if (options.debug) printCauses(error, io);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(c.red(`csi: unexpected failure: ${message}`) + (options.debug ? '\n' : ' (run again with --debug for details)\n'));
  if (options.debug) printCauses(error, io);
  return ExitCode.environment;
}

/** Every problem, then every warning, each formatted. */
export function formatProblems(error: InvalidDataError, cwd: string, c: ChalkInstance, debug = false): string {
  return [
    ...error.problems.map((p) => formatProblem(p, error.dataDir, cwd, c, debug)),
    ...error.warnings.map((w) => formatProblem(w, error.dataDir, cwd, c, debug, true)),
  ].join('');
}

/** "2 problems", "1 problem and 3 warnings", or, with --strict, "2 warnings (--strict)". */
export function problemCount(error: InvalidDataError): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const { problems, warnings } = error;
  if (problems.length === 0) return `${plural(warnings.length, 'warning')} (--strict)`;
  return warnings.length === 0 ? plural(problems.length, 'problem') : `${plural(problems.length, 'problem')} and ${plural(warnings.length, 'warning')}`;
}

function printCauses(error: unknown, io: Io): void {
  let e: unknown = error;
  while (e) {
    io.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    e = e instanceof Error ? e.cause : undefined;
    if (e) io.stderr.write('caused by: ');
  }
}
