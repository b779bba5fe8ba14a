import { Document, isMap, isScalar, isSeq, parseDocument, Scalar } from 'yaml';
import type { Node as YamlNode, Pair, YAMLMap, YAMLSeq } from 'yaml';
import type { ColumnField } from './columns.js';
import type { ImportedGroup, ImportedItem } from './tracker.js';

// Puts a tracker's rows into an appendix file. A new file is written whole; an existing
// one is edited in place: yaml's document API finds each value's place in the text, and
// only the values that changed are rewritten there, so every comment, blank line and
// folded paragraph the officers wrote stays as it was, and `csi diff` shows only the
// rows that changed in the sheet.

/** What an import did to the plan, item by item. */
export interface PlanUpdate {
  text: string;
  added: string[];
  updated: { id: string; fields: string[] }[];
  moved: string[];
  /** Items in the file that the sheet does not have: reported, never deleted. */
  notInSheet: string[];
}

/** The fields of an item a tracker can set, and the sheet column each comes from. */
const FIELDS: { key: keyof ImportedItem & string; yaml: string; column: ColumnField }[] = [
  { key: 'number', yaml: 'number', column: 'reference' },
  { key: 'text', yaml: 'text', column: 'text' },
  { key: 'status', yaml: 'status', column: 'status' },
  { key: 'source', yaml: 'reference', column: 'source' },
  { key: 'owner', yaml: 'owner', column: 'owner' },
  { key: 'due', yaml: 'due', column: 'due' },
  { key: 'measure', yaml: 'measure', column: 'measure' },
  { key: 'progress', yaml: 'progress', column: 'progress' },
];

const LINE_WIDTH = 88;

/** An item as the data writes it. */
function itemData(item: ImportedItem, keepNumber: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { id: item.id };
  if (item.number !== undefined && keepNumber) out.number = item.number;
  if (item.status !== undefined) out.status = item.status;
  if (item.ratings) out.ratings = item.ratings;
  for (const f of FIELDS) {
    if (['number', 'status', 'text'].includes(f.key)) continue;
    const value = item[f.key];
    if (value !== undefined) out[f.yaml] = value;
  }
  if (item.exempt !== undefined) out.exempt = { paragraph: item.exempt };
  out.text = item.text;
  return out;
}

/** A group's own keys as the data writes them: id, reference, title. */
function groupHead(g: ImportedGroup): Record<string, string> {
  return { id: g.id, ...(g.reference ? { reference: g.reference } : {}), ...(g.title ? { title: g.title } : {}) };
}

/** The text of a new appendix file holding the tracker's groups. */
export function newAppendixFile(header: { key: string; title: string; schemaLine?: string | undefined }, groups: ImportedGroup[], numbersToKeep: (item: ImportedItem) => boolean): string {
  const doc = new Document({
    kind: 'recommendations',
    key: header.key,
    title: header.title,
    groups: groups.map((g) => ({ ...groupHead(g), items: g.items.map((i) => itemData(i, numbersToKeep(i))) })),
  });
  flowRatings(doc);
  const body = doc.toString({ lineWidth: LINE_WIDTH });
  return `${header.schemaLine ? `${header.schemaLine}\n` : ''}# Imported from the council's tracker by csi import; import again to bring this month's updates in.\n${body}`;
}

/** Ratings read `ratings: { impact: green }`, as the examples write them. */
function flowRatings(doc: Document) {
  const visit = (node: unknown) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isScalar(pair.key) && pair.key.value === 'ratings' && isMap(pair.value)) pair.value.flow = true;
        else visit(pair.value);
      }
    } else if (isSeq(node)) node.items.forEach(visit);
  };
  visit(doc.contents);
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * The file's text with the tracker's rows put in. `columns` are the fields the sheet
 * has: a field whose column the sheet lacks is left as the file has it.
 */
export function updateAppendixFile(
  original: string,
  groups: ImportedGroup[],
  columns: ReadonlySet<ColumnField>,
  numbersToKeep: (item: ImportedItem) => boolean,
): PlanUpdate {
  const doc = parseDocument(original);
  const edits: Edit[] = [];
  const update: PlanUpdate = { text: original, added: [], updated: [], moved: [], notInSheet: [] };
  const groupSeq = doc.get('groups', true);
  if (!isSeq(groupSeq)) throw new Error('an appendix file of kind recommendations has a list of groups');
  const groupNodes = new Map<string, YAMLMap>();
  const itemNodes = new Map<string, { node: YAMLMap; group: string; seq: YAMLSeq }>();
  for (const g of groupSeq.items) {
    if (!isMap(g)) continue;
    const id = String(g.get('id'));
    groupNodes.set(id, g);
    const items = g.get('items', true);
    if (!isSeq(items)) continue;
    for (const node of items.items) if (isMap(node)) itemNodes.set(String(node.get('id')), { node, group: id, seq: items });
  }

  const seen = new Set<string>();
  const appendTo = new Map<number, string[]>(); // position → texts inserted there, in order
  const insert = (at: number, text: string) => appendTo.set(at, [...(appendTo.get(at) ?? []), text]);
  const newGroups: ImportedGroup[] = [];
  for (const group of groups) {
    const groupNode = groupNodes.get(group.id);
    const fresh: ImportedItem[] = [];
    for (const item of group.items) {
      seen.add(item.id);
      const found = itemNodes.get(item.id);
      if (found && found.group === group.id) {
        const fields = editItem(original, found.node, item, columns, numbersToKeep(item), edits);
        if (fields.length > 0) update.updated.push({ id: item.id, fields });
        continue;
      }
      if (found) {
        // Moved to another area: taken out where it was, written where it now is.
        edits.push({ ...linesOf(original, found.node), text: '' });
        update.moved.push(item.id);
      } else update.added.push(item.id);
      fresh.push(item);
    }
    if (fresh.length === 0) continue;
    if (groupNode) {
      const items = groupNode.get('items', true) as unknown as YAMLSeq;
      const indent = columnOf(original, (items.items[0] as YamlNode).range![0]) - 2;
      insert(lineEndAfter(original, items.range![1]), fresh.map((i) => indented(renderSeqItem(itemData(i, numbersToKeep(i))), indent)).join(''));
    } else newGroups.push({ ...group, items: fresh });
  }
  if (newGroups.length > 0) {
    const first = groupSeq.items[0] as YamlNode;
    const indent = columnOf(original, first.range![0]) - 2;
    const text = newGroups
      .map((g) => indented(renderSeqItem({ ...groupHead(g), items: g.items.map((i) => itemData(i, numbersToKeep(i))) }), indent))
      .join('');
    insert(lineEndAfter(original, groupSeq.range![1]), text);
  }
  for (const [id, { node }] of itemNodes) if (!seen.has(id) && !node.has('exempt')) update.notInSheet.push(id);
  for (const [at, texts] of appendTo) edits.push({ start: at, end: at, text: texts.join('') });
  update.text = applyEdits(original, edits);
  return update;
}

/** Edits one item's changed fields in place; returns the names of those it changed. */
function editItem(text: string, node: YAMLMap, item: ImportedItem, columns: ReadonlySet<ColumnField>, keepNumber: boolean, edits: Edit[]): string[] {
  const changed: string[] = [];
  const indent = columnOf(text, (node.items[0]!.key as YamlNode).range![0]);
  const set = (key: string, value: unknown) => {
    const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key) as Pair<Scalar, YamlNode> | undefined;
    const current = pair ? plainValue(pair.value) : undefined;
    if (sameValue(current, value)) return;
    // A public tracker leaves an exempt field's cell empty: an empty cell never clears it.
    if (value === undefined && isMap(pair?.value) && pair.value.has('exempt')) return;
    changed.push(key);
    if (!pair) {
      if (value === undefined) return;
      edits.push({ start: lineEndAfter(text, node.range![1]), end: lineEndAfter(text, node.range![1]), text: indented(renderPair(key, value), indent) });
      return;
    }
    if (value === undefined) {
      edits.push({ start: lineStart(text, pair.key.range![0]), end: lineEndAfter(text, pair.value!.range![1]), text: '' });
      return;
    }
    // An exemptable field written { text, exempt }: its text changes, its exemption stays.
    const target = isMap(pair.value) && pair.value.has('text') ? (pair.value.get('text', true) as YamlNode) : pair.value!;
    const style = isScalar(target) ? target.type : undefined;
    const [start, end] = target.range!;
    const newline = text.slice(start, end).endsWith('\n') ? '\n' : '';
    edits.push({ start, end, text: renderValue(value, style, columnOf(text, pair.key.range![0])) + newline });
  };
  for (const f of FIELDS) {
    if (!columns.has(f.column)) continue;
    if (f.key === 'number' && !keepNumber && !node.has('number')) continue;
    set(f.yaml, item[f.key]);
  }
  const ratingColumns = [...columns].filter((c) => c.startsWith('rating:')).map((c) => c.slice('rating:'.length));
  if (ratingColumns.length > 0) {
    const current = (plainValue(node.get('ratings', true)) ?? {}) as Record<string, string>;
    const next = { ...current };
    for (const key of ratingColumns) {
      if (item.ratings?.[key] !== undefined) next[key] = item.ratings[key];
      else delete next[key];
    }
    set('ratings', Object.keys(next).length > 0 ? next : undefined);
  }
  return changed;
}

/** A node's value as plain data: an exemptable field's text, a map's entries. */
function plainValue(node: unknown): unknown {
  if (node === undefined || node === null) return undefined;
  if (isScalar(node)) return node.value;
  if (isMap(node)) {
    if (node.has('text') && node.has('exempt')) return plainValue(node.get('text', true));
    return Object.fromEntries(node.items.map((p) => [String((p.key as Scalar).value), plainValue(p.value)]));
  }
  return (node as YamlNode).toJSON();
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number') return a !== undefined && b !== undefined && String(a) === String(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A value as it goes after `key: `, in the style the old one was written (a folded paragraph stays folded). */
function renderValue(value: unknown, style: Scalar.Type | undefined, keyColumn: number): string {
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}: ${renderValue(v, undefined, 0)}`);
    return `{ ${entries.join(', ')} }`;
  }
  const scalar = new Scalar(value);
  const multiline = typeof value === 'string' && value.includes('\n');
  if (style === Scalar.BLOCK_FOLDED || style === Scalar.BLOCK_LITERAL) scalar.type = multiline ? Scalar.BLOCK_LITERAL : style;
  else if (multiline) scalar.type = Scalar.BLOCK_LITERAL;
  const rendered = new Document(scalar).toString({ lineWidth: Math.max(40, LINE_WIDTH - keyColumn) }).replace(/\n$/, '');
  // Written at the top of a document, its lines after the first start at column 0; under a key they go two further in.
  const [first, ...rest] = rendered.split('\n');
  return [first, ...rest.map((line) => (line === '' ? line : `${' '.repeat(keyColumn + 2)}${line}`))].join('\n');
}

function renderPair(key: string, value: unknown): string {
  const doc = new Document({ [key]: value });
  flowRatings(doc);
  return doc.toString({ lineWidth: LINE_WIDTH });
}

function renderSeqItem(value: Record<string, unknown>): string {
  const doc = new Document([value]);
  flowRatings(doc);
  return doc.toString({ lineWidth: LINE_WIDTH });
}

function indented(block: string, indent: number): string {
  const pad = ' '.repeat(indent);
  return block.split('\n').map((line) => (line === '' ? line : pad + line)).join('\n');
}

function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

function columnOf(text: string, at: number): number {
  return at - lineStart(text, at);
}

/** Where the line holding `at - 1` ends (just past its newline): a node's range ends at or after its last character. */
function lineEndAfter(text: string, at: number): number {
  if (at > 0 && text[at - 1] === '\n') return at;
  const end = text.indexOf('\n', at);
  return end < 0 ? text.length : end + 1;
}

/** The whole lines a list item takes, its "- " included. */
function linesOf(text: string, node: YAMLMap): { start: number; end: number } {
  return { start: lineStart(text, node.range![0]), end: lineEndAfter(text, node.range![1]) };
}

function applyEdits(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out.endsWith('\n') ? out : `${out}\n`;
}
