import { join, relative } from 'node:path';
import type { ChalkInstance } from 'chalk';
import type { CsiError } from './errors.js';

// How a problem reads where a person sees it: the terminal (cli/) and the preview's page
// (preview/). Below both, so neither reaches into the other.

/** Text from a data file with its control characters (bar tab) shown as U+FFFD, so it cannot drive the terminal. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, '\ufffd');
}

/** Longest stretch of a source line quoted under a message. */
const EXCERPT_WIDTH = 100;

/**
 * The source line with a caret under the column. Control characters are shown as
 * U+FFFD so a hostile file cannot drive the terminal; long lines are cut around
 * the column.
 */
export function formatExcerpt(excerpt: string, line: number, column: number, c: ChalkInstance): string {
  let text = printable(excerpt);
  let at = Math.max(0, Math.min(column - 1, text.length));
  if (text.length > EXCERPT_WIDTH) {
    const from = Math.max(0, Math.min(at - EXCERPT_WIDTH / 2, text.length - EXCERPT_WIDTH));
    text = `${from > 0 ? '…' : ''}${text.slice(from, from + EXCERPT_WIDTH)}${from + EXCERPT_WIDTH < text.length ? '…' : ''}`;
    at = at - from + (from > 0 ? 1 : 0);
  }
  // Tabs stay tabs under the caret, so it lines up however wide the terminal draws them.
  const pad = text.slice(0, at).replace(/[^\t]/g, ' ');
  const number = String(line);
  const gutter = ' '.repeat(number.length);
  return `  ${c.dim(`${number} |`)} ${text}\n  ${c.dim(`${gutter} |`)} ${pad}${c.red('^')}\n`;
}

/**
 * `data/report.yaml:12:5  message`, then the source line with a caret, then the
 * hint; with `debug`, the stack of whatever caused it. A warning reads
 * `data/report.yaml:12:5  warning: message`.
 */
export function formatProblem(p: CsiError, dataDir: string, cwd: string, c: ChalkInstance, debug = false, warning = false): string {
  const pos = p.position;
  const where = pos ? `${relative(cwd, join(dataDir, pos.file)) || pos.file}:${pos.line}:${pos.column}` : '';
  const message = warning ? c.yellow(`warning: ${printable(p.message)}`) : c.red(printable(p.message));
  const head = where ? `${c.bold(printable(where))}  ${message}` : message;
  const excerpt = pos && p.excerpt !== undefined ? formatExcerpt(p.excerpt, pos.line, pos.column, c) : '';
  const cause = debug && p.cause instanceof Error ? `${c.dim(p.cause.stack ?? p.cause.message)}\n` : '';
  return `${head}\n${excerpt}${p.hint ? `    ${c.dim('hint:')} ${printable(p.hint)}\n` : ''}${cause}`;
}
