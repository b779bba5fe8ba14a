import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { CsiError } from '../errors.js';
import type { SourcePosition } from '../errors.js';

/** Data files are small; anything bigger is a mistake or an attack. */
export const MAX_FILE_BYTES = 1024 * 1024;
/** Aliases may be expanded at most this many times per file (billion laughs). */
export const MAX_ALIAS_COUNT = 100;

/** One parsed data file, keeping what is needed to point back into its text. */
export interface YamlSource {
  /** Path relative to the data directory. */
  file: string;
  text: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  value: unknown;
}

export type PathSegment = string | number;

function problem(file: string, code: string, message: string, line = 1, column = 1, hint?: string): CsiError {
  return new CsiError(message, { code, position: { file, line, column }, ...(hint ? { hint } : {}) });
}

function positionAt(file: string, text: string, offset: number): SourcePosition {
  const before = text.slice(0, offset).split('\n');
  return { file, line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/**
 * Reads one data file's bytes into a YAML document. Returns either the source or
 * the problems that stop it being read (all of them that can be seen at once).
 */
export function readYamlSource(file: string, bytes: Uint8Array): { source?: YamlSource; problems: CsiError[] } {
  if (bytes.length > MAX_FILE_BYTES) {
    return {
      problems: [
        problem(file, 'FILE_TOO_LARGE', `file is ${bytes.length} bytes; the limit is ${MAX_FILE_BYTES}`, 1, 1,
          'split it into smaller files'),
      ],
    };
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return { problems: [problem(file, 'BINARY_FILE', 'file is binary, not YAML text (it holds a NUL byte)')] };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const pos = positionAt(file, new TextDecoder('utf-8').decode(bytes.subarray(0, bad)), bad);
    return {
      problems: [problem(file, 'NOT_UTF8', 'file is not UTF-8 text', pos.line, pos.column, 'save the file as UTF-8')],
    };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return { problems: [problem(file, 'EMPTY_FILE', 'file is empty')] };

  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, col };
  };
  const problems = doc.errors.map((e) => {
    const { line, col } = at(e.pos[0]);
    const code = e.code === 'DUPLICATE_KEY' ? 'DUPLICATE_KEY' : 'YAML_SYNTAX';
    const message = e.code === 'DUPLICATE_KEY' ? 'this key appears twice in the same mapping' : firstLine(e.message);
    return problem(file, code, message, line, col);
  });
  if (problems.length > 0) return { problems };

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (cause) {
    const alias = findFirstAlias(doc.contents);
    const { line, col } = at(alias?.range?.[0] ?? 0);
    return {
      problems: [
        problem(file, 'ALIAS_LIMIT', `aliases expand to too much data (more than ${MAX_ALIAS_COUNT} expansions)`,
          line, col, 'write the values out instead of using anchors and aliases'),
      ],
    };
  }
  return { source: { file, text, doc, lineCounter, value }, problems: [] };
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '');
}

/** Offset of the first byte that breaks UTF-8's structure (0 if only the decoder can tell). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const follow = b < 0x80 ? 0 : (b & 0xe0) === 0xc0 ? 1 : (b & 0xf0) === 0xe0 ? 2 : (b & 0xf8) === 0xf0 ? 3 : -1;
    if (follow < 0) return i;
    for (let k = 1; k <= follow; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += follow + 1;
  }
  return 0;
}

function findFirstAlias(node: unknown): YamlNode | undefined {
  if (isAlias(node)) return node;
  if (isMap(node) || isSeq(node)) {
    for (const item of node.items) {
      const found = isPair(item) ? findFirstAlias(item.key) ?? findFirstAlias(item.value) : findFirstAlias(item);
      if (found) return found;
    }
  }
  return undefined;
}

function toPosition(source: YamlSource, offset: number): SourcePosition {
  const { line, col } = source.lineCounter.linePos(offset);
  return { file: source.file, line, column: col };
}

/**
 * Where a value lives in the source. Walks the path as far as the document goes,
 * so a missing key points at the mapping that lacks it.
 */
export function positionOf(source: YamlSource, path: readonly PathSegment[]): SourcePosition {
  let node: unknown = source.doc.contents;
  let offset = (node as YamlNode | null)?.range?.[0] ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      const value = pair.value as YamlNode | null;
      node = value;
      offset = value?.range?.[0] ?? (pair.key as YamlNode).range?.[0] ?? offset;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as YamlNode | undefined;
      if (!item) break;
      node = item;
      offset = item.range?.[0] ?? offset;
    } else {
      break;
    }
  }
  return toPosition(source, offset);
}

/** Where a key itself is written, for "unknown key" errors. */
export function positionOfKey(source: YamlSource, path: readonly PathSegment[], key: string): SourcePosition {
  const parent = path.length === 0 ? source.doc.contents : source.doc.getIn(path, true);
  if (isMap(parent)) {
    const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    const range = (pair?.key as YamlNode | undefined)?.range;
    if (range) return toPosition(source, range[0]);
  }
  return positionOf(source, path);
}
