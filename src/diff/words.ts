import { diffArrays, diffWords } from 'diff';

/** A run of words that both versions share, or that one of them adds or removes. */
export interface WordPart {
  op: 'equal' | 'added' | 'removed';
  text: string;
}

/** One entry of a list that changed: a paragraph added, removed, or reworded in place. */
export interface ListPart {
  op: 'added' | 'removed' | 'changed';
  /** 1-based position in the old list. */
  from?: number;
  /** 1-based position in the new list. */
  to?: number;
  /** The entry's text, for an entry added or removed. */
  text?: string;
  /** The rewording, for an entry changed in place. */
  words?: WordPart[];
}

/**
 * A figure as one word: "96%", "£0.06m", "1,234", "2017/18" — never split at its
 * point, comma or sign, so it is shown as "96% → 99%", not "~~96~~ **99**%".
 */
const TOKEN = /\s+|[£$€]?\d(?:[\d,.:/]*\d)?(?:%|[a-zA-Z]{1,3}\b)?|[\p{L}\p{N}_'’]+|[^\s\p{L}\p{N}]/gu;

const FIGURE = /[£$€]?\d(?:[\d,.:/]*\d)?(?:%|[a-zA-Z]{1,3}\b)?/g;

const part = (c: { added?: boolean; removed?: boolean }, text: string): WordPart => ({ op: c.added ? 'added' : c.removed ? 'removed' : 'equal', text });

/** Word-level diff of two texts (jsdiff's `diffWords`; whitespace is not a change); figures are compared whole. */
export function wordDiff(from: string, to: string): WordPart[] {
  // Only where a figure changed: elsewhere jsdiff's own word diff groups a rewording better.
  const figures = (text: string) => (text.match(FIGURE) ?? []).join(' ');
  if (figures(from) === figures(to)) return diffWords(from, to).map((c) => part(c, c.value));
  const parts: WordPart[] = [];
  for (const c of diffArrays(from.match(TOKEN) ?? [], to.match(TOKEN) ?? [])) {
    const p = part(c, c.value.join(''));
    const last = parts.at(-1);
    if (last && last.op === p.op) last.text += p.text;
    else parts.push(p);
  }
  return parts;
}

/** Share of the text the two versions have in common, 0 to 1. */
export function similarity(parts: readonly WordPart[]): number {
  let same = 0;
  let from = 0;
  let to = 0;
  for (const p of parts) {
    const n = p.text.trim().length;
    if (p.op === 'equal') same += n;
    if (p.op !== 'added') from += n;
    if (p.op !== 'removed') to += n;
  }
  const longest = Math.max(from, to);
  return longest === 0 ? 1 : same / longest;
}

/** Below this, a paragraph is shown as replaced rather than as a word salad of edits. */
const REWORDED_THRESHOLD = 0.4;

/**
 * Entry-by-entry diff of two lists of texts (a section's paragraphs). Entries that
 * stay are left out; where some are removed and others added at the same place,
 * each pair that still shares most of its words is shown as a rewording.
 */
export function listDiff(from: readonly string[], to: readonly string[]): ListPart[] {
  const parts: ListPart[] = [];
  let i = 0;
  let j = 0;
  let removed: { at: number; text: string }[] = [];
  let added: { at: number; text: string }[] = [];
  const flush = () => {
    const pairs = Math.min(removed.length, added.length);
    const extraRemoved: ListPart[] = [];
    const extraAdded: ListPart[] = [];
    for (let k = 0; k < pairs; k++) {
      const r = removed[k]!;
      const a = added[k]!;
      const words = wordDiff(r.text, a.text);
      if (similarity(words) >= REWORDED_THRESHOLD) {
        parts.push({ op: 'changed', from: r.at, to: a.at, words });
      } else {
        extraRemoved.push({ op: 'removed', from: r.at, text: r.text });
        extraAdded.push({ op: 'added', to: a.at, text: a.text });
      }
    }
    for (const r of removed.slice(pairs)) extraRemoved.push({ op: 'removed', from: r.at, text: r.text });
    for (const a of added.slice(pairs)) extraAdded.push({ op: 'added', to: a.at, text: a.text });
    parts.push(...extraRemoved, ...extraAdded);
    removed = [];
    added = [];
  };
  for (const change of diffArrays([...from], [...to])) {
    if (change.removed) {
      for (const text of change.value) removed.push({ at: ++i, text });
    } else if (change.added) {
      for (const text of change.value) added.push({ at: ++j, text });
    } else {
      flush();
      i += change.value.length;
      j += change.value.length;
    }
  }
  flush();
  return parts;
}
