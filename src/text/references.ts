// The references text may hold, read by the checks (data/checks.ts), the withhold stage
// and the Markdown renderer alike: one pattern for each, here, and one way of looking
// up what each live reference names (the report's HTML and the diff's plain text write
// what is found differently).

/** `[[appendix:KEY]]` in any text refers to an appendix by key. */
export const APPENDIX_REFERENCE = /\[\[appendix:([^\]\s]*)\]\]/g;
/** `[[count:WHAT]]` or `[[count:WHAT/STATUS]]`: a number from the data. */
export const COUNT_REFERENCE = /\[\[count:([^\]\s/]*)(?:\/[^\]\s]*)?\]\]/g;
/** The references the report resolves: `[[appendix:KEY]]`, `[[paragraph:SECTION/N]]`, `[[count:WHAT/STATUS]]`. */
export const LIVE_REFERENCE = /\[\[(appendix|paragraph|count):([^\]\s]*)\]\]/g;

/**
 * What live references find: the callable finds an appendix by key; `paragraph` a
 * numbered paragraph of a section; `count` a number from the data. Each may find nothing.
 */
export type ReferenceLookup<A, P> = ((key: string) => A | undefined) & {
  paragraph?: ((section: string, n: number) => P | undefined) | undefined;
  count?: ((what: string, status: string | undefined) => number | undefined) | undefined;
};

/**
 * `text` with each live reference replaced by what `write` makes of what it finds
 * (a count is written as its number); one that finds nothing is kept as written.
 */
export function replaceReferences<A, P>(text: string, lookup: ReferenceLookup<A, P>, write: { appendix: (found: A) => string; paragraph: (found: P) => string }): string {
  return text.replace(LIVE_REFERENCE, (whole, kind: string, target: string) => {
    const [first = '', second] = target.split('/');
    if (kind === 'paragraph') {
      const p = lookup.paragraph?.(first, Number(second ?? ''));
      return p === undefined ? whole : write.paragraph(p);
    }
    if (kind === 'count') {
      const n = lookup.count?.(first, second);
      return n === undefined ? whole : String(n);
    }
    const appendix = lookup(target);
    return appendix === undefined ? whole : write.appendix(appendix);
  });
}
