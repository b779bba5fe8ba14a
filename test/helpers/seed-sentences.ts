/**
 * Splits the published seed report into the fragments that must each appear in
 * the built report: sentences, list items, headings and table cells. The seed is
 * a text extraction of a Word document, so its own markup is undone first:
 * Markdown emphasis, autolink brackets, list bullets, paragraph numbers, and the
 * chronology's " - " separators between events on one line.
 */
export function seedFragments(seed: string): string[] {
  const fragments: string[] = [];
  for (const rawLine of seed.split('\n')) {
    let line = rawLine.replace(/\*+/g, '').replace(/<(https?:[^>]+)>/g, '$1').trim();
    line = line.replace(/^-\s+/, '').replace(/^\d+\.\d+\s+/, '').replace(/^\d+\.\s+/, '');
    if (!line) continue;
    const parts = line.split('\t').flatMap((cell) => cell.split(/\s+-\s+(?!including)/));
    for (const part of parts) {
      for (const sentence of part.split(/(?<=[.!?])\s+(?=[A-Z'"(])/)) {
        const s = sentence.replace(/^-\s*/, '').trim();
        if (s) fragments.push(s);
      }
    }
  }
  return fragments;
}

/**
 * Text compared without whitespace (lines wrap differently) and without dashes:
 * pdftotext joins "multi-" at a line end to the next line as "multi", and the seed
 * mixes "-" and "–" in headings csi generates uniformly.
 */
export function comparable(text: string): string {
  return text.replace(/[\u2010-\u2015-]/g, '').replace(/\s+/g, '');
}

/** Which fragments are missing from the given text. */
export function missingFragments(fragments: string[], text: string): string[] {
  const haystack = comparable(text);
  return fragments.filter((f) => !haystack.includes(comparable(f)));
}
