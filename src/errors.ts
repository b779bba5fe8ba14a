/** Exit codes, decided here and nowhere else (SPEC "Interface contract"). */
export const ExitCode = {
  ok: 0,
  invalidData: 1,
  usage: 2,
  environment: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A position in a data file; `file` is relative to the data directory, line/column 1-based. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

/** What kind of failure a CsiError is, which decides the exit code. */
export type ErrorKind = 'data' | 'usage' | 'environment';

export interface CsiErrorOptions {
  code: string;
  kind?: ErrorKind;
  position?: SourcePosition;
  /** Dotted path of the value inside the file, e.g. `groups.0.items.3.status`. */
  path?: string;
  hint?: string;
  cause?: unknown;
  /** The source line the position points into, printed under the message with a caret. */
  excerpt?: string;
}

/** The one error type for problems a user can cause and fix. */
export class CsiError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly position: SourcePosition | undefined;
  readonly path: string | undefined;
  readonly hint: string | undefined;
  readonly excerpt: string | undefined;

  constructor(message: string, options: CsiErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CsiError';
    this.code = options.code;
    this.kind = options.kind ?? 'data';
    this.position = options.position;
    this.path = options.path;
    this.hint = options.hint;
    this.excerpt = options.excerpt;
  }

  get exitCode(): ExitCode {
    return exitCodeFor(this.kind);
  }
}

/** Several data problems found together; the run stops once, reporting all of them. */
export class InvalidDataError extends Error {
  readonly problems: CsiError[];
  constructor(problems: CsiError[], readonly dataDir: string) {
    super(`${problems.length} problem${problems.length === 1 ? '' : 's'} in the data`);
    this.name = 'InvalidDataError';
    this.problems = problems;
  }
}

export function exitCodeFor(kind: ErrorKind): ExitCode {
  switch (kind) {
    case 'data':
      return ExitCode.invalidData;
    case 'usage':
      return ExitCode.usage;
    case 'environment':
      return ExitCode.environment;
  }
}

/** Awaits `work`; if it fails, throws a usage error (exit 2) saying what could not be done, keeping the cause. */
export async function orUsageError<T>(work: Promise<T>, message: string, code: string, hint: string): Promise<T> {
  try {
    return await work;
  } catch (cause) {
    throw new CsiError(message, { code, kind: 'usage', cause, hint });
  }
}
