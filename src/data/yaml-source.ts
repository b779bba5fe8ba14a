import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Alias, Document, Node as YamlNode } from 'yaml';
import { CsiError } from '../errors.js';
import type { SourcePosition } from '../errors.js';

/** Data files are small; anything bigger is a mistake or an attack. */
export const MAX_FILE_BYTES = 1024 * 1024;
/** Aliases may be expanded at most this many times per file (billion laughs). */
export const MAX_ALIAS_COUNT = 100;
/** The deepest the data nests is about eight levels; far deeper is an attack on the stack. */
export const MAX_DEPTH = 32;

/** One parsed data file, keeping what is needed to point back into its text. */
export interface YamlSource {
  /** Path relative to the data directory. */
  file: string;
  text: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  value: unknown;
}

/** What reading one file gave: the source, or the problems that stop it being read. */
export interface YamlRead {
  source?: YamlSource;
  /** The file as text, when it could be decoded (lossily for non-UTF-8), to quote in messages. */
  text?: string;
  problems: CsiError[];
}

export type PathSegment = string | number;

function problem(file: string, code: string, message: string, at: { line: number; column: number }, hint?: string): CsiError {
  return new CsiError(message, { code, position: { file, ...at }, ...(hint ? { hint } : {}) });
}

/** Line and column (1-based) of a character offset in a text. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

const START = { line: 1, column: 1 };

/**
 * Reads one data file's bytes into a YAML document. Returns either the source or
 * the problems that stop it being read (all of them that can be seen at once).
 * Never throws: every hostile input becomes a positioned problem.
 */
export function readYamlSource(file: string, bytes: Uint8Array): YamlRead {
  if (bytes.length > MAX_FILE_BYTES) {
    return {
      problems: [
        problem(file, 'FILE_TOO_LARGE', `file is over the size limit of ${MAX_FILE_BYTES / 1024 / 1024} MiB (${MAX_FILE_BYTES} bytes)`,
          START, 'data files are small; split this one into several files'),
      ],
    };
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { problems: [problem(file, 'NOT_UTF8', 'file is UTF-16 text, not UTF-8', START, 'save the file as UTF-8')] };
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    const at = lineColumn(new TextDecoder('utf-8').decode(bytes.subarray(0, nul)), Infinity);
    return { problems: [problem(file, 'BINARY_FILE', 'file is binary, not YAML text (it holds a NUL byte)', at)] };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lossy = new TextDecoder('utf-8').decode(bytes);
    return {
      text: lossy,
      problems: [
        problem(file, 'NOT_UTF8', 'file is not UTF-8 text: this character cannot be read',
          lineColumn(lossy, firstInvalidUtf8(lossy, bytes)), 'save the file as UTF-8'),
      ],
    };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return { text, problems: [problem(file, 'EMPTY_FILE', 'file is empty', START)] };

  try {
    return parseYaml(file, text);
  } catch (cause) {
    // The parser guards itself; this is the last line of defence against a crash.
    return {
      text,
      problems: [
        new CsiError('file cannot be read as YAML', {
          code: 'YAML_SYNTAX',
          position: { file, ...START },
          cause,
          hint: 'run again with --debug for details',
        }),
      ],
    };
  }
}

/** Library messages that an officer would not understand, said plainly. */
const YAML_MESSAGES: Record<string, [message: string, hint?: string]> = {
  MULTIPLE_DOCS: ['a data file holds one YAML document, but this "---" starts a second', 'remove the line, or move what follows it into its own file'],
  TAB_AS_INDENT: ['tabs are not allowed for indenting', 'indent with spaces'],
  DUPLICATE_KEY: ['this key appears twice in the same mapping', 'keep one of them; YAML does not allow both'],
  RESOURCE_EXHAUSTION: [`the data nests too deeply (the limit is ${MAX_DEPTH} levels)`],
};

function parseYaml(file: string, text: string): YamlRead {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const problems: CsiError[] = [];
  for (const e of doc.errors) {
    // Exhaustion repeats once per unwound level; once is enough.
    if (e.code === 'RESOURCE_EXHAUSTION' && problems.some((p) => p.code === 'TOO_DEEP')) continue;
    const known = YAML_MESSAGES[e.code];
    const code = e.code === 'DUPLICATE_KEY' ? 'DUPLICATE_KEY' : e.code === 'RESOURCE_EXHAUSTION' ? 'TOO_DEEP' : 'YAML_SYNTAX';
    problems.push(problem(file, code, known?.[0] ?? firstLine(e.message), at(e.pos[0]), known?.[1]));
  }
  if (problems.length > 0) return { text, problems };
  if (doc.contents === null) {
    return { text, problems: [problem(file, 'EMPTY_FILE', 'file holds only comments, no data', START)] };
  }

  problems.push(...structureProblems(file, text, doc, at));
  if (problems.length > 0) return { text, problems };

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (cause) {
    const alias = firstAlias(doc.contents);
    const target = alias?.resolve(doc);
    const anchor = alias && target ? anchorPosition(file, text, alias.source, target, at) : undefined;
    return {
      text,
      problems: [
        new CsiError(`aliases expand to too much data (more than ${MAX_ALIAS_COUNT} expansions)`, {
          code: 'ALIAS_LIMIT',
          position: { file, ...at(alias?.range?.[0] ?? 0) },
          cause,
          hint: `${anchor ? `*${alias?.source} repeats the anchor &${alias?.source} at ${where(anchor)}; ` : ''}write the values out instead of using anchors and aliases`,
        }),
      ],
    };
  }
  return { source: { file, text, doc, lineCounter, value }, problems: [] };
}

const where = (p: SourcePosition) => `${p.file}:${p.line}:${p.column}`;

/** Where `&name` is written for the node it anchors (the node's range starts after it). */
function anchorPosition(file: string, text: string, name: string, target: YamlNode,
  at: (offset: number) => { line: number; column: number }): SourcePosition {
  const start = target.range?.[0] ?? 0;
  const amp = text.lastIndexOf(`&${name}`, start);
  return { file, ...at(amp >= 0 ? amp : start) };
}

/**
 * Things YAML allows that csi data never needs and that would otherwise reach the
 * schema check confusingly or blow the stack: deep nesting, tags, keys that are
 * not plain words, aliases with no anchor or inside their own anchor.
 */
function structureProblems(file: string, text: string, doc: Document.Parsed,
  at: (offset: number) => { line: number; column: number }): CsiError[] {
  const problems: CsiError[] = [];
  const visit = (node: unknown, depth: number): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as YamlNode;
    const start = n.range?.[0] ?? 0;
    if (depth > MAX_DEPTH) {
      if (!problems.some((p) => p.code === 'TOO_DEEP')) {
        problems.push(problem(file, 'TOO_DEEP', `the data nests too deeply (the limit is ${MAX_DEPTH} levels)`, at(start)));
      }
      return;
    }
    if (n.tag && (isScalar(n) || isCollection(n))) {
      const bang = text.lastIndexOf('!', start);
      problems.push(problem(file, 'YAML_TAG', `the tag "${n.tag.replace('tag:yaml.org,2002:', '!!')}" is not used in csi data`,
        at(bang >= 0 ? bang : start), 'remove it; put the value in quotes if it should be text'));
    }
    if (isAlias(n)) {
      const target = n.resolve(doc);
      if (!target) {
        const later = text.indexOf(`&${n.source}`, start);
        problems.push(problem(file, 'UNRESOLVED_ALIAS', `the alias *${n.source} refers to no anchor`, at(start),
          later >= 0
            ? `the anchor &${n.source} comes later, at ${where({ file, ...at(later) })}; an anchor must come before its aliases`
            : `mark the value to repeat with &${n.source} before using *${n.source}`));
      } else if (target.range && start >= target.range[0] && start < target.range[2]) {
        problems.push(problem(file, 'RECURSIVE_ALIAS',
          `the alias *${n.source} is inside its own anchor &${n.source} at ${where(anchorPosition(file, text, n.source, target, at))}, so it would repeat forever`,
          at(start), 'write the value out instead'));
      }
      return;
    }
    if (isMap(n)) {
      for (const pair of n.items) {
        if (pair.key !== null && !isScalar(pair.key)) {
          const keyStart = (pair.key as YamlNode).range?.[0] ?? start;
          problems.push(problem(file, 'COMPLEX_KEY', 'a key must be a plain word, not a list, mapping or alias', at(keyStart)));
        } else visit(pair.key, depth + 1);
        visit(pair.value, depth + 1);
      }
    } else if (isSeq(n)) {
      for (const item of n.items) visit(item, depth + 1);
    }
  };
  visit(doc.contents, 1);
  return problems;
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * Character offset in the lossily decoded text of the first byte sequence that
 * is not UTF-8. A U+FFFD that the file really contains (EF BF BD) is skipped.
 */
function firstInvalidUtf8(lossy: string, bytes: Uint8Array): number {
  const encoder = new TextEncoder();
  let byte = 0;
  let offset = 0;
  for (const char of lossy) {
    if (char === '\ufffd' && !(bytes[byte] === 0xef && bytes[byte + 1] === 0xbf && bytes[byte + 2] === 0xbd)) return offset;
    byte += encoder.encode(char).length;
    offset += char.length;
  }
  return 0;
}

function firstAlias(node: unknown): Alias | undefined {
  if (isAlias(node)) return node;
  if (isMap(node) || isSeq(node)) {
    for (const item of node.items) {
      const found = isPair(item) ? firstAlias(item.key) ?? firstAlias(item.value) : firstAlias(item);
      if (found) return found;
    }
  }
  return undefined;
}

function toPosition(source: YamlSource, offset: number): SourcePosition {
  const { line, col } = source.lineCounter.linePos(offset);
  return { file: source.file, line, column: col };
}

/** Where a value is, and the alias it was reached through if any. */
export interface Location {
  position: SourcePosition;
  /** The value is written elsewhere, under an anchor that this alias repeats. */
  alias?: { name: string; anchor: SourcePosition };
}

/**
 * Where a value lives in the source. Walks the path as far as the document goes,
 * so a missing key points at the mapping that lacks it. A value reached through
 * an alias points at the alias, and names the anchor it repeats.
 */
export function locate(source: YamlSource, path: readonly PathSegment[]): Location {
  let node: unknown = source.doc.contents;
  let offset = (node as YamlNode | null)?.range?.[0] ?? 0;
  let alias: Location['alias'];
  const follow = () => {
    if (!isAlias(node)) return;
    const target = node.resolve(source.doc);
    if (!alias && target) {
      alias = {
        name: node.source,
        anchor: anchorPosition(source.file, source.text, node.source, target, (o) => {
          const { line, col } = source.lineCounter.linePos(o);
          return { line, column: col };
        }),
      };
    }
    node = target;
  };
  follow();
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      const value = pair.value as YamlNode | null;
      node = value;
      if (!alias) offset = value?.range?.[0] ?? (pair.key as YamlNode).range?.[0] ?? offset;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as YamlNode | undefined;
      if (!item) break;
      node = item;
      if (!alias) offset = item.range?.[0] ?? offset;
    } else {
      break;
    }
    follow();
  }
  return { position: toPosition(source, offset), ...(alias ? { alias } : {}) };
}

/** Where a value lives in the source (see `locate`). */
export function positionOf(source: YamlSource, path: readonly PathSegment[]): SourcePosition {
  return locate(source, path).position;
}

/** Where a key itself is written, for "unknown key" errors (or the alias its mapping came through). */
export function locateKey(source: YamlSource, path: readonly PathSegment[], key: string): Location {
  const parent = locate(source, path);
  if (parent.alias) return parent;
  const map = path.length === 0 ? source.doc.contents : source.doc.getIn(path, true);
  if (isMap(map)) {
    const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    const range = (pair?.key as YamlNode | undefined)?.range;
    if (range) return { position: toPosition(source, range[0]) };
  }
  return parent;
}

/**
 * Where some text is written inside the value at `path`, e.g. a reference within a
 * paragraph; the value's own position when it cannot be found verbatim.
 */
export function positionOfText(source: YamlSource, path: readonly PathSegment[], needle: string, occurrence = 0): SourcePosition {
  const whole = locate(source, path);
  const node = source.doc.getIn(path, true) as YamlNode | undefined;
  if (whole.alias || !node?.range) return whole.position;
  let found = node.range[0] - 1;
  for (let i = 0; i <= occurrence; i++) {
    found = source.text.indexOf(needle, found + 1);
    if (found < 0 || found >= node.range[1]) return whole.position;
  }
  return toPosition(source, found);
}
