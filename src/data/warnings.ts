import { isMap, isScalar, isSeq } from 'yaml';
import type { Scalar } from 'yaml';
import { CsiError } from '../errors.js';
import type { WarningCode } from '../errors.js';
import { hasInvisible, isInvisible, isZeroWidth, nameOf, WORD_BULLET } from './pasted.js';
import type { YamlSource } from './yaml-source.js';

/**
 * Warnings: data that reads, and builds, but most likely not as its author meant,
 * because something in it is silently lost or printed as typed. Each is positioned
 * and says what to do; `--strict` makes them fail the run.
 */

/** A delimiter row of a Markdown table, as its source line is written: `|---|:---:|`. */
export const TABLE_DELIMITER = /^[ \t]*\|?[ \t]*:?-+:?[ \t]*\|[ \t]*(?::?-+:?[ \t]*\|?[ \t]*)*$/;

/** The value text of a scalar as it is written in the source (for a block scalar, its lines after the header). */
function written(source: YamlSource, node: Scalar): { start: number; text: string } {
  const [start, end] = node.range!;
  return { start, text: source.text.slice(start, end) };
}

/** Every warning in one parsed file. */
export function warningsIn(source: YamlSource): CsiError[] {
  const warnings: CsiError[] = [];
  const warn = (code: WarningCode, message: string, offset: number, hint: string) =>
    warnings.push(new CsiError(message, { code, position: { file: source.file, ...source.lines.at(offset) }, hint }));
  // Every value in the document (keys are checked against the schema); aliases repeat values checked where written.
  // `key`: the key the value is under, or the list's key for an item of a list.
  const walk = (node: unknown, key?: unknown): void => {
    if (isMap(node)) for (const pair of node.items) walk(pair.value, isScalar(pair.key) ? pair.key.value : undefined);
    else if (isSeq(node)) for (const item of node.items) walk(item, key);
    else if (isScalar(node) && typeof node.value === 'string' && node.range) {
      const value = node.value;
      if (typeof key === 'string' && NUMBERED.has(key)) ownNumber(source, node, value, key, warn);
      commentInText(source, node, value, warn);
      invisibleAtEnds(source, node, value, warn);
      curlyQuotes(source, node, value, warn);
      wordBullets(source, node, value, warn);
      foldedTable(source, node, warn);
    }
  };
  walk(source.doc.contents);
  return warnings;
}

/** Texts csi numbers (a paragraph, a recommendation to the committee) or prints in a numbered row (an item). */
const NUMBERED = new Set(['paragraphs', 'recommendations', 'text']);
/** A number or bullet typed at the start of a text: "1. ", "3.2 ", "(a) ", "- ". */
const TYPED_NUMBER = /^(?:\d{1,3}(?:\.\d{1,3})*[.)]?|\([a-z0-9]{1,3}\)|[a-z][.)]|[-*+])[ \t]+(?=\S)/i;

/**
 * A text that starts with its own number or bullet ("1. Scrutinise…"): csi numbers it
 * already, so it would print as "3.1 1. Scrutinise…", or as a one-item list.
 */
function ownNumber(source: YamlSource, node: Scalar, value: string, key: string, warn: Warn): void {
  const typed = TYPED_NUMBER.exec(value)?.[0];
  // A year, or a number that is the start of a sentence ("12 families were…"), is text.
  if (!typed || /^\d{4}\b/.test(typed) || /^\d+[ \t]/.test(typed)) return;
  const { start, text } = written(source, node);
  const mark = typed.trim();
  // In a block scalar (>- or |), after its header line.
  const body = node.type === 'BLOCK_FOLDED' || node.type === 'BLOCK_LITERAL' ? text.indexOf('\n') + 1 : 0;
  const at = text.indexOf(mark, body);
  const bullet = /^[-*+]$/.test(mark);
  const what = key === 'text' ? 'item' : key === 'recommendations' ? 'recommendation' : 'paragraph';
  warn('OWN_NUMBER', `this ${what} starts with its own ${bullet ? 'bullet' : 'number'} "${mark}": csi numbers it already, so it would print as ${bullet ? 'a list of one' : 'two numbers'}`,
    start + (at < 0 ? 0 : at),
    `remove "${mark}" from the start of the text: numbers come from the order of the list${what === 'item' ? ' (to print a number of your own, give the item number: instead)' : ''}`);
}

type Warn = (code: WarningCode, message: string, offset: number, hint: string) => void;

/** `text: see action #11`: YAML reads " #" as the start of a comment, and the rest of the line is gone. */
function commentInText(source: YamlSource, node: Scalar, value: string, warn: Warn): void {
  const comment = node.comment;
  if (node.type !== 'PLAIN' || !comment) return;
  // "# a note" (a space after #) is a comment meant as one; "#11)" or "#1 priority" is text cut short.
  const unclosed = (value.match(/\(/g)?.length ?? 0) > (value.match(/\)/g)?.length ?? 0);
  if (/^\s/.test(comment) && !unclosed) return;
  const [, valueEnd] = node.range!;
  const hash = source.text.indexOf('#', valueEnd);
  if (hash < 0 || source.text.slice(valueEnd, hash).includes('\n')) return;
  const whole = `${value} #${comment.split('\n')[0]}`;
  const quoted = whole.includes('"') ? `'${whole.replace(/'/g, "''")}'` : `"${whole}"`;
  warn('COMMENT_IN_TEXT', `the text stops before "#${comment.split('\n')[0]}": YAML reads " #" as the start of a comment, so the rest of the line is left out`,
    hash, `quote the whole text: ${quoted}; or write it on the lines after >-, where "#" is text`);
}

/** A NO-BREAK SPACE (or another invisible character) before or after a value, or a zero-width one anywhere in it. */
function invisibleAtEnds(source: YamlSource, node: Scalar, value: string, warn: Warn): void {
  if (!hasInvisible(value)) return;
  const { start, text } = written(source, node);
  const found = (char: string, last = false) => {
    const at = last ? text.lastIndexOf(char) : text.indexOf(char);
    return at < 0 ? undefined : start + at;
  };
  const hint = 'delete it: it cannot be seen, and usually comes with text pasted from Word or a web page';
  const first = value.charAt(0);
  const last = value.charAt(value.length - 1);
  // Found in the source, not made by an escape such as "\u00a0" (which is written on purpose).
  const column = (offset: number) => source.lines.at(offset).column;
  const before = isInvisible(first) ? found(first) : undefined;
  if (before !== undefined) {
    warn('INVISIBLE_CHARACTER', `the text starts with ${nameOf(first)} at column ${column(before)}, which cannot be seen`, before, hint);
  }
  const after = value.length > 1 && isInvisible(last) ? found(last, true) : undefined;
  if (after !== undefined && after !== before) {
    warn('INVISIBLE_CHARACTER', `the text ends with ${nameOf(last)} at column ${column(after)}, which cannot be seen`, after, hint);
  }
  for (const char of value.slice(1, -1)) {
    if (!isZeroWidth(char)) continue;
    const at = found(char);
    if (at !== undefined && at !== before && at !== after) {
      warn('INVISIBLE_CHARACTER', `the text holds ${nameOf(char)} at column ${column(at)}, which cannot be seen`, at, hint);
      break;
    }
  }
}

/** “Curly quotes” round the whole value (meant as YAML's quotes, printed as typed), or never closed. */
function curlyQuotes(source: YamlSource, node: Scalar, value: string, warn: Warn): void {
  if (!/[“”‘]/.test(value)) return;
  const { start, text } = written(source, node);
  const at = (char: string, nth: number) => {
    let i = -1;
    for (let n = 0; n <= nth; n++) {
      i = text.indexOf(char, i + 1);
      if (i < 0) return start;
    }
    return start + i;
  };
  const trimmed = value.trim();
  const wraps = (open: string, close: string) =>
    trimmed.startsWith(open) && trimmed.endsWith(close) && trimmed.indexOf(open, 1) < 0 && trimmed.indexOf(close) === trimmed.length - 1;
  if (wraps('“', '”') || wraps('‘', '’')) {
    warn('CURLY_QUOTES', `the whole text is between curly quotes ${trimmed[0]}…${trimmed.at(-1)}, which are printed as typed`, at(trimmed[0]!, 0),
      'if the quotes are not meant to be printed, remove them (YAML needs none here); YAML\'s own quotes are straight ones, "…"');
    return;
  }
  // Match “ with ”, in order: the first that is left over is the mistake.
  let open = 0;
  const opened: number[] = [];
  for (const char of value) {
    if (char === '“') opened.push(open++);
    else if (char === '”') {
      if (opened.length === 0) {
        const nth = [...value.slice(0, value.indexOf(char))].filter((c) => c === '”').length;
        warn('CURLY_QUOTES', 'this closing curly quote ” closes no opening “', at('”', nth), 'open the quotation with “, or remove the ”');
        return;
      }
      opened.pop();
    }
  }
  if (opened.length > 0) {
    const straight = trimmed.endsWith('"');
    warn('CURLY_QUOTES', `this curly quote “ is never closed${straight ? ', and the text ends with a straight quote "' : ''}`, at('“', opened[0]!),
      straight ? 'use the same kind of quote at both ends: “…” to print them, or none' : 'close the quotation with ”, or remove the “');
    return;
  }
  // A single ‘ with no ’ after it (’ alone is an apostrophe).
  const single = value.indexOf('‘');
  if (single >= 0 && !value.includes('’', single)) {
    const nth = [...value.slice(0, single)].filter((c) => c === '‘').length;
    warn('CURLY_QUOTES', 'this curly quote ‘ is never closed', at('‘', nth), 'close the quotation with ’, or remove the ‘');
  }
}

/** A line of the value that starts with a bullet pasted from Word, rather than a list's "- ". */
function wordBullets(source: YamlSource, node: Scalar, value: string, warn: Warn): void {
  if (!/[•◦▪▫●○■□‣⁃∙·➢➤►❖\uf0a7\uf0b7\uf076\uf0d8]/.test(value)) return;
  const { start, text } = written(source, node);
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    const indent = line.length - line.trimStart().length;
    const bullet = WORD_BULLET.exec(line.trimStart())?.[0];
    if (bullet) {
      const folded = node.type !== 'BLOCK_LITERAL' && !value.startsWith(bullet);
      warn('WORD_BULLET', `"${bullet}" looks like a bullet pasted from Word: csi prints it as typed${folded ? ', joined to the line above' : ''}`,
        start + lineStart + indent,
        'for a list, start each item with "- " on its own line, in a text written with | (which keeps its lines); or make each item a paragraph of its own');
      return;
    }
    lineStart = lineEnd + 1;
  }
}

/**
 * A Markdown table in a value YAML folds (>-, or plain text over several lines): its rows
 * are joined into one line before Markdown sees them, so it can never print as a table.
 */
function foldedTable(source: YamlSource, node: Scalar, warn: Warn): void {
  if (node.type === 'BLOCK_LITERAL' || !node.value || !String(node.value).includes('|')) return;
  const { start, text } = written(source, node);
  const lines = text.split('\n');
  let offset = 0;
  for (const [i, line] of lines.entries()) {
    if (i > 0 && TABLE_DELIMITER.test(line) && lines[i - 1]!.includes('|')) {
      const header = offset - lines[i - 1]!.length - 1;
      const indent = lines[i - 1]!.length - lines[i - 1]!.trimStart().length;
      warn('MARKDOWN_TABLE', 'the rows of this Markdown table are joined into one line, as YAML folds the text, so it cannot print as a table',
        start + header + indent, 'write the text after | rather than >- (| keeps each line), so each row stays a row');
      return;
    }
    offset += line.length + 1;
  }
}
