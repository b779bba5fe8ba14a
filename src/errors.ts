/** Exit codes, decided here and nowhere else: 0 ok, 1 invalid data, 2 usage, 3 environment. */
export const ExitCode = {
  ok: 0,
  invalidData: 1,
  usage: 2,
  environment: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Every code a CsiError can carry, in one list, grouped by the kind of problem: add a new one here. */
export const ERROR_CODES = [
  // The data (exit 1): reading YAML
  'ALIAS_LIMIT', 'BINARY_FILE', 'COMPLEX_KEY', 'DUPLICATE_KEY', 'EMPTY_FILE', 'FILE_TOO_LARGE', 'LINK_OUTSIDE', 'MISSING_FILE', 'NOT_UTF8',
  'RECURSIVE_ALIAS', 'TOO_DEEP', 'TOO_MANY_PROBLEMS', 'UNRESOLVED_ALIAS', 'YAML_SYNTAX', 'YAML_TAG',
  // …and a scorecard's CSV of figures
  'CSV_SYNTAX',
  // …and two that are warnings where the data still reads (WARNING_CODES, below)
  'INVISIBLE_CHARACTER', 'MARKDOWN_TABLE',
  // The data (exit 1): the schemas
  'EMPTY_LIST', 'EMPTY_TEXT', 'INVALID_DATE', 'INVALID_FORMAT', 'INVALID_VALUE', 'MISSING_KEY', 'NOT_ALLOWED', 'UNKNOWN_KEY', 'WRONG_TYPE',
  // The data (exit 1): across files, and against the settings file
  'BRANDING_MISMATCH', 'CHRONOLOGY_ORDER', 'DUPLICATE_APPENDIX', 'DUPLICATE_ID', 'DUPLICATE_NUMBER', 'INVALID_LOGO', 'LOW_CONTRAST', 'REPORTING_CYCLE',
  'UNKNOWN_APPENDIX', 'UNKNOWN_REFERENCE', 'UNKNOWN_REFERENCE_KIND', 'UNLISTED_APPENDIX',
  // …and a scorecard's periods and measures
  'DUPLICATE_PERIOD', 'NO_LATEST_VALUE', 'PERIOD_ORDER', 'UNKNOWN_MEASURE',
  // A tracker to import (exit 1): csi import
  'MAPPING_CLASH', 'NO_CACHED_VALUE', 'NO_HEADER_ROW', 'NOT_A_TRACKER',
  // How csi was asked (exit 2)
  'BAD_FORMAT', 'BAD_RENDER_TIMEOUT', 'BAD_SOURCE_DATE_EPOCH', 'INIT_WOULD_OVERWRITE', 'NO_COMMITS', 'NO_CONFIG', 'NO_DATA_AT_REVISION', 'NO_DATA_DIR',
  'NO_FILE', 'NO_THEME_DIR', 'NOT_A_REPOSITORY', 'OUTPUT_CLASH', 'UNKNOWN_ID', 'UNKNOWN_MEETING', 'UNKNOWN_REVISION', 'UNKNOWN_THEME_FILE', 'USAGE',
  // The environment (exit 3)
  'FILE_UNREADABLE', 'GIT_FAILED', 'NO_BROWSER', 'NO_GIT', 'OUTPUT_NOT_WRITABLE', 'PAGE_NUMBERS_WRONG', 'PORT_UNAVAILABLE', 'RENDER_FAILED', 'SHALLOW_CLONE', 'TEMPLATE_ERROR',
  'TEMPLATE_MISSING',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** True when `code` is one of csi's error codes. */
export function isErrorCode(code: unknown): code is ErrorCode {
  return (ERROR_CODES as readonly unknown[]).includes(code);
}

/** A position in a data file; `file` is relative to the data directory, line/column 1-based. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
  /** Where the value ends (just after it), when the problem is about one whole value. */
  end?: { line: number; column: number };
}

/** What kind of failure a CsiError is, which decides the exit code. */
export type ErrorKind = 'data' | 'usage' | 'environment';

export interface CsiErrorOptions {
  code: ProblemCode;
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
  readonly code: ProblemCode;
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

/**
 * Several data problems found together; the run stops once, reporting all of them,
 * and the warnings beside them (with --strict, warnings alone stop the run).
 */
export class InvalidDataError extends Error {
  readonly problems: CsiError[];
  constructor(problems: CsiError[], readonly dataDir: string, readonly warnings: CsiError[] = []) {
    super(`${problems.length} problem${problems.length === 1 ? '' : 's'} in the data`);
    this.name = 'InvalidDataError';
    this.problems = problems;
  }
}

/**
 * Codes of the checks for mistakes that would otherwise lose data without a word.
 * Each is a warning where the data still reads (printed, exit 0 unless --strict),
 * and INVISIBLE_CHARACTER and MARKDOWN_TABLE are errors where it cannot (an
 * invisible character where YAML needs a space; a table with no caption, or where a
 * table cannot go).
 */
export const WARNING_CODES = ['COMMENT_IN_TEXT', 'INVISIBLE_CHARACTER', 'CURLY_QUOTES', 'WORD_BULLET', 'MARKDOWN_TABLE', 'OWN_NUMBER', 'HIDDEN_CELLS'] as const;
export type WarningCode = (typeof WARNING_CODES)[number];
/** What a problem in the data is coded as: an error's code or a warning's. */
export type ProblemCode = ErrorCode | WarningCode;

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
export async function orUsageError<T>(work: Promise<T>, message: string, code: ErrorCode, hint: string): Promise<T> {
  try {
    return await work;
  } catch (cause) {
    throw new CsiError(message, { code, kind: 'usage', cause, hint });
  }
}
