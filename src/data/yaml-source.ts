import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { Alias, Document, Node as YamlNode } from 'yaml';
import { CsiError } from '../errors.js';
import type { ErrorCode, SourcePosition } from '../errors.js';
import { firstInvisible, nameOf, WORD_BULLET } from './pasted.js';

/**
 * Data files are small (the biggest seed file is 12 KiB); anything much bigger is a
 * mistake or an attack. The cap also bounds the time the YAML parser can spend on
 * hostile text to well under a second.
 */
export const MAX_FILE_BYTES = 512 * 1024;
/** Aliases may be expanded at most this many times per file (billion laughs). */
export const MAX_ALIAS_COUNT = 100;
/** The deepest the data nests is about eight levels; far deeper is an attack on the stack. */
export const MAX_DEPTH = 32;
/**
 * Before parsing, a quick scan refuses text whose nesting or run of YAML indicators
 * goes far past anything csi data needs: the YAML parser slows down sharply, and
 * can even run out of memory, on such input.
 */
const SCAN_LIMIT = 64;
/** Anchors, aliases and tags in one file; csi data needs a handful at most. */
const MAX_PROPERTIES = 1000;
/**
 * Past the first thousand, YAML markers (`: `, `- `, brackets, commas, quotes…) must be
 * at least this many characters apart on average. csi data, with ids and text,
 * has one every 20 or more; a flood of them is what makes the parser slowest.
 */
const MARKER_FLOOR = 1000;
const MARKER_SPACING = 6;
/** Syntax problems reported per file: after the first few, the rest are usually echoes. */
const MAX_SYNTAX_PROBLEMS = 10;

/** One parsed data file, keeping what is needed to point back into its text. */
export interface YamlSource {
  /** Path relative to the data directory. */
  file: string;
  text: string;
  /** The document, with every node's place (for a source read without keeping it, parsed again when asked for). */
  readonly doc: Document.Parsed;
  /** Offset → line and column. */
  lines: LineIndex;
  value: unknown;
}

/** What reading one file gave: the source, or the problems that stop it being read. */
export interface YamlRead {
  source?: YamlSource;
  /** The file as text, when it could be decoded as UTF-8, to quote in messages. */
  text?: string;
  problems: CsiError[];
}

export type PathSegment = string | number;

function problem(file: string, code: ErrorCode, message: string, at: { line: number; column: number }, hint?: string): CsiError {
  return new CsiError(message, { code, position: { file, ...at }, ...(hint ? { hint } : {}) });
}

/**
 * Line and column (1-based) of character offsets, counting "\n" as the line end,
 * as editors do. (yaml's LineCounter misses line breaks inside stray tokens.)
 */
export class LineIndex {
  /** Where each line starts, found on the first question: a valid file is seldom asked. */
  private starts: number[] | undefined;
  constructor(private readonly text: string) {}
  at(offset: number): { line: number; column: number } {
    const starts = (this.starts ??= lineStarts(this.text));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - starts[low]! + 1 };
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Line and column (1-based) of a character offset in a text. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

const START = { line: 1, column: 1 };

/** How to read a data file. */
export interface ReadOptions {
  /**
   * Keep the parsed document (default true). A command that reads many versions and
   * looks for no warnings lets it go once the values are read: its nodes are most of
   * the memory a history would hold. It is parsed again (the same way) only to place a
   * problem.
   */
  keepDocument?: boolean;
}

/**
 * Reads one data file's bytes into a YAML document. Returns either the source or
 * the problems that stop it being read (all of them that can be seen at once).
 * Never throws: every hostile input becomes a positioned problem.
 */
export function readYamlSource(file: string, bytes: Uint8Array, options: ReadOptions = {}): YamlRead {
  if (bytes.length > MAX_FILE_BYTES) {
    return {
      problems: [
        problem(file, 'FILE_TOO_LARGE', `file is over the size limit of ${MAX_FILE_BYTES / 1024} KiB (${MAX_FILE_BYTES} bytes)`,
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
    // Not text: the position is given, but no line of it is quoted.
    const lossy = new TextDecoder('utf-8').decode(bytes);
    return {
      problems: [
        problem(file, 'NOT_UTF8', 'file is not UTF-8 text: this character cannot be read',
          lineColumn(lossy, firstInvalidUtf8(lossy, bytes)), 'save the file as UTF-8'),
      ],
    };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return { text, problems: [problem(file, 'EMPTY_FILE', 'file is empty', START)] };

  const hazard = scanForHazards(text);
  if (hazard) {
    return { text, problems: [problem(file, hazard.code, hazard.message, lineColumn(text, hazard.offset))] };
  }
  try {
    const read = parseYaml(file, text);
    return read.source && options.keepDocument === false ? { ...read, source: withoutDocument(read.source) } : read;
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

/**
 * A linear scan for input that would make the YAML parser crawl: flow brackets
 * nested too deeply or closed without being opened, indentation that keeps getting
 * deeper, a line that is a long chain of `- `, `? `, `: ` or properties, YAML markers
 * packed densely, far too many anchors, aliases or tags where a value starts. (The
 * limit of 1000 itself is counted after parsing, where they are known for what they
 * are: `*italic*` inside a text is no alias, though a line of text may begin with one.) Generous: real data is nowhere
 * near any of these limits, text included.
 */
function scanForHazards(text: string): { code: 'TOO_DEEP' | 'YAML_SYNTAX'; message: string; offset: number } | undefined {
  let flow = 0;
  let strayClosers = 0;
  const indents: number[] = [];
  let markers = 0;
  let properties = 0;
  // `- `, `? ` and properties start a token; a `:` ends a key wherever it is.
  const indicator = /(?:^|[\s[{,])(?:[-?]|[&!*][^\s,[\]{}]*)(?=[\s,\]}]|$)|:(?=[\s,\]}]|$)/g;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    const content = line.trimStart();
    if (content !== '' && !content.startsWith('#')) {
      const indent = line.length - content.length;
      while (indents.length > 0 && indents.at(-1)! > indent) indents.pop();
      if (indents.length === 0 || indents.at(-1)! < indent) indents.push(indent);
      if (indents.length > SCAN_LIMIT) {
        return { code: 'TOO_DEEP', message: `the data nests too deeply: indentation goes more than ${SCAN_LIMIT} levels deep`, offset: lineStart + indent };
      }
      let tokens = 0;
      let after = 0; // where the last marker ended: a property starts a node only right after one
      for (const match of content.matchAll(indicator)) {
        tokens++;
        const start = match.index + (/^[\s[{,]/.test(match[0]) ? 1 : 0);
        if (/^[&!*]/.test(content.slice(start)) && /^[\s[{,]*$/.test(content.slice(after, start)) && ++properties > MAX_PROPERTIES * 4) {
          return { code: 'YAML_SYNTAX', message: `the file has more than ${MAX_PROPERTIES} anchors, aliases and tags`, offset: lineStart + indent + start };
        }
        after = match.index + match[0].length;
        if (tokens > SCAN_LIMIT) {
          return { code: 'TOO_DEEP', message: `this line holds more than ${SCAN_LIMIT} YAML markers (-, ?, :, &, * or !)`, offset: lineStart + indent };
        }
      }
      markers += tokens;
      for (let i = 0; i < line.length; i++) {
        const ch = line.charCodeAt(i);
        // , [ ] { } " '
        if (ch === 0x2c || ch === 0x5b || ch === 0x5d || ch === 0x7b || ch === 0x7d || ch === 0x22 || ch === 0x27) markers++;
        if (ch === 0x5b || ch === 0x7b) {
          if (++flow > SCAN_LIMIT) {
            return { code: 'TOO_DEEP', message: `the data nests too deeply: more than ${SCAN_LIMIT} brackets are open`, offset: lineStart + i };
          }
        } else if (ch === 0x5d || ch === 0x7d) {
          if (flow > 0) flow--;
          else if (++strayClosers > SCAN_LIMIT) {
            return { code: 'YAML_SYNTAX', message: `more than ${SCAN_LIMIT} "]" or "}" close brackets that were never opened`, offset: lineStart + i };
          }
        }
      }
    }
    if (markers > MARKER_FLOOR && markers * MARKER_SPACING > lineEnd) {
      return { code: 'YAML_SYNTAX', message: `this is not csi data: ${markers} YAML markers in the first ${lineEnd} characters`, offset: lineStart };
    }
    lineStart = lineEnd + 1;
  }
  return undefined;
}

/** Library messages that an officer would not understand, said plainly. */
const YAML_MESSAGES: Record<string, [message: string, hint?: string]> = {
  MULTIPLE_DOCS: ['a data file holds one YAML document, but this "---" starts a second', 'remove the line, or move what follows it into its own file'],
  TAB_AS_INDENT: ['tabs are not allowed for indenting', 'indent with spaces'],
  DUPLICATE_KEY: ['this key appears twice in the same mapping', 'keep one of them; YAML does not allow both'],
  RESOURCE_EXHAUSTION: [`the data nests too deeply (the limit is ${MAX_DEPTH} levels)`],
};

/**
 * The parser's message in an officer's words, placed where the mistake was made
 * rather than where the parser noticed it (an unclosed bracket or quote is noticed
 * lines later).
 */
function explainSyntax(text: string, code: string, message: string, offset: number): { message: string; offset: number; hint?: string } {
  const known = YAML_MESSAGES[code];
  if (known) return { message: known[0], offset, ...(known[1] ? { hint: known[1] } : {}) };
  const flow = /^Flow (map|sequence)/.exec(message);
  if (flow) {
    const [open, close] = flow[1] === 'map' ? ['{', '}'] : ['[', ']'];
    const opener = unmatchedBefore(text, offset, open, close);
    if (opener >= 0) {
      return { message: `this "${open}" is never closed`, offset: opener,
        hint: `end it with "${close}"; lines inside it must be indented further than its key` };
    }
  }
  const quote = /^Missing closing (["'])quote/.exec(message)?.[1];
  if (quote) {
    const opener = openingQuote(text, offset, quote);
    return { message: `this quote (${quote}) is never closed`, offset: opener >= 0 ? opener : offset,
      hint: quote === '"' ? 'end the text with ", and write a " inside it as \\"' : "end the text with ', and write a ' inside it as ''" };
  }
  if (code === 'BLOCK_AS_IMPLICIT_KEY' || code === 'MULTILINE_IMPLICIT_KEY') {
    const end = text.indexOf('\n', offset);
    const rest = text.slice(offset, end < 0 ? undefined : end).replace(/\r$/, '').trim();
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    const afterKey = /^\s*(?:- +)*[^\s#:][^#:]*:\s+$/.test(text.slice(lineStart, offset));
    if (code === 'BLOCK_AS_IMPLICIT_KEY' && afterKey && rest.includes(': ')) {
      const quoted = rest.includes('"') ? `'${rest.replace(/'/g, "''")}'` : `"${rest}"`;
      return { message: 'text holding ": " must be in quotes', offset, hint: `quote it: ${quoted}` };
    }
    return { message: 'YAML cannot tell where this value ends', offset,
      hint: 'check the indentation of the next line: keys of one mapping line up in the same column' };
  }
  if (code === 'UNEXPECTED_TOKEN' && /^Unexpected scalar at node end/.test(message)) {
    const said = valueCutShort(text, offset);
    if (said) return said;
  }
  if (code === 'BAD_SCALAR_START') {
    return { message: `text cannot start with "${text[offset] ?? ''}" unless it is in quotes`, offset, hint: 'put the text in quotes' };
  }
  const said = firstLine(message);
  return { message: said.charAt(0).toLowerCase() + said.slice(1), offset,
    ...(code === 'BAD_INDENT' ? { hint: 'line up keys of the same mapping in the same column' } : {}) };
}

/** Text in quotes for a hint: in double quotes, or in single ones when it holds a double quote. */
const quoted = (text: string) => (text.includes('"') ? `'${text.replace(/'/g, "''")}'` : `"${text}"`);

/**
 * A value the parser read only the start of: a quote inside a quoted text ended it early
 * ('the council's plan'), or a text starting with "*", "&" or "!" (Markdown bold,
 * `**Complete.**`) was read as an alias, anchor or tag. Undefined for anything else.
 */
function valueCutShort(text: string, offset: number): { message: string; offset: number; hint: string } | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = text.indexOf('\n', offset);
  const line = text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd).replace(/\r$/, '');
  const head = /^\s*(?:- +)*(?:[^\s#:'"][^#:]*:\s+)?/.exec(line)![0];
  const value = line.slice(head.length).replace(/\s+#.*$/, '').trimEnd();
  const start = lineStart + head.length;
  const open = value[0];
  if (open === "'" || open === '"') {
    const inner = value.slice(1, value.endsWith(open) && value.length > 1 ? -1 : undefined);
    const early = text.lastIndexOf(open, offset - 1);
    const fixed = open === "'" ? `'${inner.replace(/'/g, "''")}'` : `"${inner.replace(/\\?"/g, '\\"')}"`;
    return {
      message: `this ${open} ends the quoted text early: a ${open} inside text in ${open === "'" ? 'single' : 'double'} quotes must be written ${open === "'" ? "''" : '\\"'}`,
      offset: early > start ? early : offset,
      hint: `write it as ${fixed}${open === "'" ? `, or in double quotes: "${inner}"` : ''}`,
    };
  }
  if (open === '*' || open === '&' || open === '!') {
    const what = open === '*' ? 'an alias' : open === '&' ? 'an anchor' : 'a tag';
    return { message: `text cannot start with "${open}" unless it is in quotes: YAML reads "${open}…" as ${what}`, offset: start,
      hint: `quote it: ${quoted(value)}` };
  }
  return undefined;
}

/**
 * Mistakes that make the parser report a cascade of errors around them, each named
 * once instead, where it is: a tab used to indent, a bullet pasted from Word where a
 * list item's "- " belongs, an invisible character where YAML needs an ordinary space.
 * Looked for on the lines where the parser saw a problem, and the line before each.
 * When any is found, the parser's own errors are left out: they are its echoes.
 */
function rootCauses(file: string, text: string, errorOffsets: number[], lines: LineIndex): CsiError[] {
  const textLines = text.split('\n');
  const suspects = new Set(errorOffsets.flatMap((offset) => {
    const { line } = lines.at(offset);
    return [line - 1, line];
  }));
  const causes: CsiError[] = [];
  for (const line of [...suspects].sort((a, b) => a - b)) {
    const source = textLines[line - 1]?.replace(/\r$/, '');
    if (source === undefined) continue;
    const indent = /^[ \t]*/.exec(source)![0];
    const content = source.slice(indent.length);
    const at = (index: number) => ({ line, column: index + 1 });
    if (indent.includes('\t')) {
      causes.push(problem(file, 'YAML_SYNTAX', 'this line is indented with a tab, which YAML does not allow', at(indent.indexOf('\t')),
        'indent with spaces only (most editors can turn tabs into spaces)'));
      continue;
    }
    const bullet = WORD_BULLET.exec(content)?.[0];
    if (bullet) {
      causes.push(problem(file, 'YAML_SYNTAX', `this line starts with "${bullet}", a bullet pasted from Word, where a list item starts with "- "`,
        at(indent.length), `replace "${bullet}" with "-" (a hyphen, then a space)`));
      continue;
    }
    const invisible = firstInvisible(source);
    if (invisible && whereYamlNeedsASpace(source, invisible.index)) {
      const after = /(\S*:)$/.exec(source.slice(0, invisible.index))?.[1];
      causes.push(problem(file, 'INVISIBLE_CHARACTER',
        `there is ${nameOf(invisible.char)} at column ${invisible.index + 1}${after ? `, right after "${after}"` : ''}, where YAML needs an ordinary space`,
        at(invisible.index), 'delete it and type a space instead: it cannot be seen, and usually comes with text pasted from Word'));
    }
  }
  return causes;
}

/**
 * True when the character at `index` of a line is in its indentation, in its key, or
 * right after the key's colon: where YAML reads structure, not text.
 */
function whereYamlNeedsASpace(line: string, index: number): boolean {
  const before = line.slice(0, index);
  return INDENT_ONLY.test(before) || KEY_AND_COLON.test(before) || (KEY_SO_FAR.test(before) && REST_OF_KEY.test(line.slice(index + 1)));
}
const INDENT_ONLY = /^[ \t]*(?:-[ \t]+)*$/;
const KEY_AND_COLON = /^[ \t]*(?:-[ \t]+)*[^\s:#"'][^:#"']*:[ \t]*$/;
const KEY_SO_FAR = /^[ \t]*(?:-[ \t]+)*[^\s:#"'][^:#"']*$/;
const REST_OF_KEY = /^[^:#"']*:(?:\s|$)/;

/** Offset of the `open` bracket still unclosed at `offset`, or -1. */
function unmatchedBefore(text: string, offset: number, open: string, close: string): number {
  let depth = 0;
  for (let i = Math.min(offset, text.length) - 1; i >= 0; i--) {
    if (text[i] === close) depth++;
    else if (text[i] === open) {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** Offset of the quote that opens an unclosed quoted text ending at `offset`, or -1. */
function openingQuote(text: string, offset: number, quote: string): number {
  for (let i = Math.min(offset, text.length) - 1; i >= 0; i--) {
    if (text[i] !== quote) continue;
    if (quote === '"' && text[i - 1] === '\\') continue;
    if (quote === "'" && (text[i - 1] === "'" || text[i + 1] === "'")) {
      if (text[i - 1] === "'") i--;
      continue;
    }
    return i;
  }
  return -1;
}

/** The whole YAML document, with every node's place, as csi reads it. */
function parseWhole(text: string): Document.Parsed {
  // The parser makes an Error for every problem it meets; broken input can hold a
  // million. Without stack traces each costs a fifth as much.
  const traces = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = 0;
    // Duplicate keys are found in structureProblems: yaml's own check is quadratic.
    return parseDocument(text, { uniqueKeys: false, prettyErrors: false, strict: true });
  } finally {
    Error.stackTraceLimit = traces;
  }
}

/** A source that has let its document go: parsed again (as parseYaml parsed it) when first asked for. */
function withoutDocument({ file, text, lines, value }: YamlSource): YamlSource {
  let doc: Document.Parsed | undefined;
  return {
    file,
    text,
    lines,
    value,
    get doc() {
      if (!doc) {
        doc = parseWhole(text);
        keepListLines(doc, text);
      }
      return doc;
    },
  };
}

function parseYaml(file: string, text: string): YamlRead {
  const lines = new LineIndex(text);
  const doc = parseWhole(text);
  const at = (offset: number) => {
    return lines.at(offset);
  };
  const causes = doc.errors.length > 0 ? rootCauses(file, text, doc.errors.map((e) => e.pos[0]), lines) : [];
  if (causes.length > 0) return { text, problems: causes.slice(0, MAX_SYNTAX_PROBLEMS) };
  const problems: CsiError[] = [];
  for (const e of doc.errors.slice(0, MAX_SYNTAX_PROBLEMS)) {
    // Exhaustion repeats once per unwound level; once is enough.
    if (e.code === 'RESOURCE_EXHAUSTION' && problems.some((p) => p.code === 'TOO_DEEP')) continue;
    const code = e.code === 'DUPLICATE_KEY' ? 'DUPLICATE_KEY' : e.code === 'RESOURCE_EXHAUSTION' ? 'TOO_DEEP' : 'YAML_SYNTAX';
    const said = explainSyntax(text, e.code, e.message, e.pos[0]);
    const next = problem(file, code, said.message, at(said.offset), said.hint);
    const echo = problems.some((p) => p.message === next.message && p.position?.line === next.position?.line);
    if (!echo) problems.push(next);
  }
  if (problems.length > 0) return { text, problems };
  if (doc.contents === null) {
    return { text, problems: [problem(file, 'EMPTY_FILE', 'file holds only comments, no data', START)] };
  }

  const structure = structureProblems(file, text, doc, at);
  if (structure.length > 0) return { text, problems: structure };

  keepListLines(doc, text);
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
  return { source: { file, text, doc, lines, value }, problems: [] };
}

/** A line of a block scalar that is a Markdown list item: "- ", "* ", "+ ", "1. " or "1) ". */
const LIST_ITEM_LINE = /^(?:[-*+]|\d{1,9}[.)])[ \t]+\S/;

/**
 * A Markdown list in a folded text (>-) keeps its lines: YAML would fold "- one" and
 * "- two" into "- one - two", one line that can never print as a list. Only lines that
 * start a list item (after a blank line or another item, or a bullet, which may interrupt
 * a paragraph in Markdown) keep the break before them; every other line folds as YAML folds it.
 */
function keepListLines(doc: Document.Parsed, text: string): void {
  visit(doc, {
    Scalar(_, node) {
      if (node.type !== 'BLOCK_FOLDED' || typeof node.value !== 'string' || !node.range) return;
      const folded = node.value;
      if (!/(?:^| )(?:[-*+]|\d{1,9}[.)]) /.test(folded)) return;
      const [start, end] = node.range;
      const lines = text.slice(start, end).split('\n').slice(1).map((l) => l.replace(/\r$/, ''));
      const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
      const body = lines.map((l) => l.slice(indent));
      // Only lines at the block's own indentation fold; a more-indented one YAML keeps as it is.
      if (body.some((l) => /^[ \t]/.test(l))) return;
      let out = '';
      let inList = false;
      for (const [i, line] of body.entries()) {
        const item = LIST_ITEM_LINE.test(line) && (/^[-*+]/.test(line) || /^1[.)]/.test(line) || inList || i === 0);
        if (i > 0) out += line === '' || body[i - 1] === '' ? (line === '' ? '\n' : '') : item ? '\n' : ' ';
        out += line;
        if (item) inList = true;
        else if (line === '') inList = false;
      }
      const kept = out.replace(/\n+$/, '');
      // The same words as YAML read, only with the list's lines kept: anything unexpected stays as YAML read it.
      if (kept !== folded && kept.replace(/\s+/g, ' ') === folded.replace(/\s+/g, ' ')) node.value = kept;
    },
  });
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
  let properties = 0;
  const visit = (node: unknown, depth: number): void => {
    if (!node || typeof node !== 'object' || problems.length >= MAX_SYNTAX_PROBLEMS) return;
    const n = node as YamlNode;
    const start = n.range?.[0] ?? 0;
    if ((isAlias(n) || n.anchor) && ++properties > MAX_PROPERTIES) {
      if (!problems.some((p) => p.message.includes('anchors, aliases'))) {
        problems.push(problem(file, 'YAML_SYNTAX', `the file has more than ${MAX_PROPERTIES} anchors, aliases and tags`, at(start),
          'write the values out instead of using anchors and aliases'));
      }
      return;
    }
    if (depth > MAX_DEPTH) {
      if (!problems.some((p) => p.code === 'TOO_DEEP')) {
        problems.push(problem(file, 'TOO_DEEP', `the data nests too deeply (the limit is ${MAX_DEPTH} levels)`, at(start)));
      }
      return;
    }
    if (n.tag && (isScalar(n) || isCollection(n))) {
      let bang = text.lastIndexOf('!', start);
      while (bang > 0 && text[bang - 1] === '!') bang--;
      problems.push(problem(file, 'YAML_TAG', `the tag "${n.tag.replace('tag:yaml.org,2002:', '!!')}" is not used in csi data`,
        at(bang >= 0 ? bang : start), 'remove it; put the value in quotes if it should be text'));
    }
    if (isAlias(n)) {
      const target = n.resolve(doc);
      if (!target && /[^\w-]/.test(n.source)) {
        // "**Complete.**": Markdown bold, not an alias anyone meant.
        problems.push(problem(file, 'UNRESOLVED_ALIAS', `text cannot start with "*" unless it is in quotes: YAML reads *${n.source} as an alias`, at(start),
          `quote it: ${quoted(`*${n.source}`)}`));
      } else if (!target) {
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
      const keys = new Set<string>();
      for (const pair of n.items) {
        if (problems.length >= MAX_SYNTAX_PROBLEMS) return;
        const keyStart = (pair.key as YamlNode | null)?.range?.[0] ?? start;
        if (pair.key !== null && !isScalar(pair.key)) {
          problems.push(problem(file, 'COMPLEX_KEY', 'a key must be a plain word, not a list, mapping or alias', at(keyStart)));
        } else {
          const name = String(isScalar(pair.key) ? pair.key.value : null);
          if (keys.has(name)) {
            const [message, hint] = YAML_MESSAGES.DUPLICATE_KEY!;
            problems.push(problem(file, 'DUPLICATE_KEY', message, at(keyStart), hint));
          }
          keys.add(name);
          visit(pair.key, depth + 1);
        }
        visit(pair.value, depth + 1);
      }
    } else if (isSeq(n)) {
      for (const item of n.items) visit(item, depth + 1);
    }
  };
  visit(doc.contents, 1);
  return problems;
}

/** The parser's message on one line, with any quoted source cut short. */
function firstLine(message: string): string {
  const line = message.replace(/"([^"]*)"/g, (whole, quoted: string) =>
    quoted.includes('\n') || quoted.length > 40 ? `"${(quoted.split('\n')[0] ?? '').slice(0, 40)}…"` : whole);
  return (line.split('\n')[0] ?? line).replace(/ at line \d+, column \d+:?$/, '');
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
  return { file: source.file, ...source.lines.at(offset) };
}

/** Where a value is, and the alias it was reached through if any. */
export interface Location {
  position: SourcePosition;
  /** The value is written elsewhere, under an anchor that this alias repeats. */
  alias?: { name: string; anchor: SourcePosition; value: SourcePosition };
}

/**
 * Where a value lives in the source. Walks the path as far as the document goes,
 * so a missing key points at the mapping that lacks it. A value reached through
 * an alias points at the alias, and names the anchor it repeats.
 */
export function locate(source: YamlSource, path: readonly PathSegment[]): Location {
  const at = (o: number) => source.lines.at(o);
  let node: unknown = source.doc.contents;
  let offset = (node as YamlNode | null)?.range?.[0] ?? 0;
  // Where the value shown ends, once the whole path is found: a problem's range.
  let end: number | undefined = (node as YamlNode | null)?.range?.[1];
  // Where the value is really written, following aliases into their anchors.
  let written = offset;
  let alias: { name: string; anchor: SourcePosition } | undefined;
  const follow = () => {
    if (!isAlias(node)) return;
    const target = node.resolve(source.doc);
    if (!alias && target) alias = { name: node.source, anchor: anchorPosition(source.file, source.text, node.source, target, at) };
    node = target;
    written = target?.range?.[0] ?? written;
  };
  follow();
  for (const segment of path) {
    let next: YamlNode | null | undefined;
    let fallback = written;
    end = undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      next = pair.value as YamlNode | null;
      fallback = (pair.key as YamlNode).range?.[0] ?? written;
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment] as YamlNode | undefined;
      if (!next) break;
    } else {
      break;
    }
    node = next;
    written = next?.range?.[0] ?? fallback;
    if (!alias) {
      offset = written;
      end = next?.range?.[1];
    }
    follow();
  }
  const position = toPosition(source, offset);
  if (end !== undefined && end > offset) position.end = source.lines.at(end);
  return alias ? { position, alias: { ...alias, value: toPosition(source, written) } } : { position };
}

/** Where a value lives in the source (see `locate`). */
export function positionOf(source: YamlSource, path: readonly PathSegment[]): SourcePosition {
  return locate(source, path).position;
}

/** The node at `path`, following aliases to what they repeat. */
function nodeAt(source: YamlSource, path: readonly PathSegment[]): unknown {
  let node: unknown = source.doc.contents;
  for (const segment of [undefined, ...path]) {
    if (isAlias(node)) node = node.resolve(source.doc);
    if (segment === undefined) continue;
    if (isMap(node)) node = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment))?.value;
    else if (isSeq(node) && typeof segment === 'number') node = node.items[segment];
    else return undefined;
  }
  return isAlias(node) ? node.resolve(source.doc) : node;
}

/** A plain scalar's text as written (`+.5`, `1_000`), for a hint that quotes it as typed. */
export function writtenAt(source: YamlSource, path: readonly PathSegment[]): string | undefined {
  const node = nodeAt(source, path);
  if (!isScalar(node) || !node.range || node.type !== 'PLAIN') return undefined;
  return source.text.slice(node.range[0], node.range[1]);
}

/**
 * For a key in a flow mapping that has no value of its own (`{ name: Service Manager,
 * Quality Assurance, role: … }`), the key and text before it: the comma most likely
 * belongs inside that text.
 */
export function commaInFlowValue(source: YamlSource, path: readonly PathSegment[], key: string): { key: string; value: string } | undefined {
  const map = nodeAt(source, path);
  if (!isMap(map) || !map.flow) return undefined;
  const i = map.items.findIndex((p) => isScalar(p.key) && String(p.key.value) === key);
  const pair = map.items[i];
  const before = map.items[i - 1];
  if (!pair || pair.value !== null || !before || !isScalar(before.key) || !isScalar(before.value)) return undefined;
  const end = (pair.key as YamlNode).range?.[1] ?? 0;
  if (/^[ \t]*:/.test(source.text.slice(end))) return undefined;
  return { key: String(before.key.value), value: String(before.value.value) };
}

/** Where a key itself is written, for "unknown key" errors (or the alias its mapping came through). */
export function locateKey(source: YamlSource, path: readonly PathSegment[], key: string): Location {
  const parent = locate(source, path);
  const map = nodeAt(source, path);
  const pair = isMap(map) ? map.items.find((p) => isScalar(p.key) && String(p.key.value) === key) : undefined;
  const range = (pair?.key as YamlNode | undefined)?.range;
  if (!range) return parent;
  const keyPosition = toPosition(source, range[0]);
  return parent.alias ? { ...parent, alias: { ...parent.alias, value: keyPosition } } : { position: keyPosition };
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
