import { readYamlSource } from '../data/yaml-source.js';
import { normaliseText } from './items.js';

// `csi diff --textconv FILE`: one data file in a normalised, item-per-block form,
// for git's textconv so that `git diff` and `git log -p` read item by item. It
// needs no other file, and never fails: git shows whatever it prints.

type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };

const isObject = (v: unknown): v is Record<string, Plain> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Keys that lead, in this order, as the data files write them; any other key follows, by name. */
const LEADING = ['kind', 'key', 'title', 'heading', 'date', 'status'];
const rank = (key: string) => (LEADING.includes(key) ? LEADING.indexOf(key) : LEADING.length);

/** A mapping's entries in one fixed order, so that swapping two keys is no change, as csi diff sees it. */
const sortedEntries = (map: Record<string, Plain>) =>
  Object.entries(map).sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));

/**
 * A value on one line, but for Markdown's own line breaks: those continue on lines
 * indented by `indent`, with ¶ for a blank line (so a block never holds an empty line).
 */
function oneLine(value: Plain, indent = '  '): string {
  if (typeof value === 'string') {
    return normaliseText(value)
      .split('\n')
      .map((line, i) => (i === 0 ? line : `${indent}${line || '¶'}`))
      .join('\n');
  }
  if (Array.isArray(value)) return `[${value.map((v) => oneLine(v, indent)).join(', ')}]`;
  if (isObject(value)) return `{ ${sortedEntries(value).map(([k, v]) => `${k}: ${oneLine(v, indent)}`).join(', ')} }`;
  return String(value);
}

/** Items are lists of mappings; those with an id (or a glossary term) get blocks of their own. */
const blockName = (item: Record<string, Plain>): string | undefined =>
  typeof item.id === 'string' ? item.id : typeof item.term === 'string' ? item.term : undefined;

function isItemList(value: Plain): value is Record<string, Plain>[] {
  return Array.isArray(value) && value.length > 0 && value.every((v) => isObject(v) && blockName(v) !== undefined);
}

/** Lines for the plain fields of a mapping; item lists are left to `blocks`. */
function fieldLines(map: Record<string, Plain>, skip: readonly string[]): string[] {
  const lines: string[] = [];
  for (const [key, value] of sortedEntries(map)) {
    if (skip.includes(key) || isItemList(value)) continue;
    if (Array.isArray(value)) {
      lines.push(`${key}:`);
      for (const v of value) lines.push(`  - ${oneLine(v, '    ')}`);
    } else {
      lines.push(`${key}: ${oneLine(value)}`);
    }
  }
  return lines;
}

/**
 * The line that names an item for git's hunk header (`diff.csi.xfuncname`, see FUNCNAME).
 * git takes the header from the nearest matching line above a hunk's first context
 * line, three lines above the change: so the naming line leads the item's block by
 * four lines (it, a blank, `[id]`, a blank) before any field that can change, and a
 * change to the item's first field is still headed by the item, not the one above.
 */
const namingLine = (name: string) => `── ${name} ──`;

/** The `diff.csi.xfuncname` pattern that finds the naming lines; its group is the id the header shows. */
export const FUNCNAME = '^── (.*) ──$';

function blocks(map: Record<string, Plain>, parent: string | undefined): string[][] {
  const out: string[][] = [];
  for (const value of Object.values(map)) {
    if (!isItemList(value)) continue;
    for (const item of value) {
      const name = blockName(item)!;
      const head = [namingLine(name), '', `[${name}]`, '', ...(parent === undefined ? [] : [`in: ${parent}`])];
      out.push([...head, ...fieldLines(item, typeof item.id === 'string' ? ['id'] : ['term'])]);
      out.push(...blocks(item, name));
    }
  }
  return out;
}

/**
 * The file's plain fields first, then one block per item led by its naming line and
 * `[id]`, separated by blank lines; fields in the order of their keys, so a key-order
 * swap shows nothing. A file that is not readable YAML is printed as it is.
 */
export function textconv(file: string, bytes: Uint8Array): string {
  const { source } = readYamlSource(file, bytes);
  if (!source || !isObject(source.value)) return new TextDecoder().decode(bytes);
  const value = source.value as Record<string, Plain>;
  const sections = [fieldLines(value, []), ...blocks(value, undefined)].filter((b) => b.length > 0);
  return `${sections.map((b) => b.join('\n')).join('\n\n')}\n`;
}
