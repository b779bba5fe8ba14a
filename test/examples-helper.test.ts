import { describe, expect, it } from 'vitest';
import { helpExamples, matchesShown, pageExamples, reshown, withShown } from './helpers/examples.js';

// The docs-examples test is only as good as what it extracts and how it compares.
describe('reading examples out of docs and --help', () => {
  it('takes the $ lines of console blocks with what each shows, and the directives between blocks', () => {
    const page = pageExamples(
      [
        '<!-- docs-test: empty -->',
        '```sh',
        '$ not run: an sh block',
        '```',
        '<!-- docs-test: run sed -i s/a/b/ x -->',
        '```console',
        '$ one',
        'printed',
        '',
        '$ two',
        '```',
        '<!-- docs-test: skip needs the network -->',
        '```console',
        '$ three',
        '```',
      ].join('\n'),
    );
    expect(page.startEmpty).toBe(true);
    expect(page.examples).toEqual([
      { command: 'sed -i s/a/b/ x', hidden: true, line: 5 },
      { command: 'one', expected: 'printed', line: 7 },
      { command: 'two', line: 10 },
    ]);
    expect(page.skipped).toEqual([{ line: 13, reason: 'needs the network' }]);
  });

  it('takes the examples of a --help without their notes', () => {
    const help = 'Usage: csi x\n\nExamples:\n  $ npx --no-install csi x         # a note\n  $ cp -r data draft\n\nMore text\n';
    expect(helpExamples(help)).toEqual(['npx --no-install csi x', 'cp -r data draft']);
  });
});

describe('comparing what was printed with what the docs show', () => {
  it('needs every line, in order', () => {
    expect(matchesShown('a\nb\n', 'a\nb')).toBe(true);
    expect(matchesShown('a\nb\nc\n', 'a\nb')).toBe(false);
    expect(matchesShown('b\na\n', 'a\nb')).toBe(false);
  });

  it('reads … as any text within a line, and a line of … as any lines', () => {
    expect(matchesShown('wrote out/report.html (html, 27447 bytes)\n', 'wrote out/report.html (html, … bytes)')).toBe(true);
    expect(matchesShown('wrote out/report.pdf (pdf, 1 bytes, 7 pages)\n', 'wrote out/report.pdf (pdf, … bytes, 6 pages)')).toBe(false);
    expect(matchesShown('first\nx\ny\nlast\n', 'first\n…\nlast')).toBe(true);
    expect(matchesShown('first\nlast\n', 'first\n…\nlast')).toBe(true);
    expect(matchesShown('first\nx\n', 'first\n…\nlast')).toBe(false);
  });

  it('ignores spaces at line ends, as a terminal shows none', () => {
    expect(matchesShown('a  \n \nb\n', 'a\n\nb')).toBe(true);
  });
});

// UPDATE_DOCS=1 rewrites what a page shows from what its examples printed: it must keep the
// page's "…" where they still hold, and never write what the comparison would refuse.
describe('rewriting what a page shows (UPDATE_DOCS=1)', () => {
  it('keeps each shown line whose … still matches, and hides a new commit hash where the page hid one', () => {
    const shown = 'Changes from HEAD~1 (…, 6 January 2025) to HEAD\nwrote out/report.html (html, … bytes)\nold line';
    const printed = 'Changes from HEAD~1 (25af3e3, 6 January 2025) to HEAD\nwrote out/report.html (html, 5120 bytes)\nnew line at 946be2e\n\n';
    const result = reshown(printed, shown);
    expect(result).toBe('Changes from HEAD~1 (…, 6 January 2025) to HEAD\nwrote out/report.html (html, … bytes)\nnew line at …');
    expect(matchesShown(printed, result)).toBe(true);
  });

  it('hides no hash where the page showed its output whole, nor a year or a count', () => {
    expect(reshown('commit 946be2e in 2025, 1234567 items\n', 'commit abc')).toBe('commit 946be2e in 2025, 1234567 items');
    expect(reshown('commit 946be2e in 2025, 1234567 items\n', 'was … here')).toBe('commit … in 2025, 1234567 items');
  });

  it('replaces only the output of the examples named, keeping the blank lines between examples', () => {
    const page = ['```console', '$ one', 'old 1', '', '$ two', 'old 2', 'old 2b', '```', 'text'].join('\n');
    const rewritten = withShown(page, [
      { line: 2, shown: 'new 1\nnew 1b' },
      { line: 5, shown: 'new 2' },
    ]);
    expect(rewritten).toBe(['```console', '$ one', 'new 1', 'new 1b', '', '$ two', 'new 2', '```', 'text'].join('\n'));
    expect(pageExamples(rewritten).examples).toEqual([
      { command: 'one', expected: 'new 1\nnew 1b', line: 2 },
      { command: 'two', expected: 'new 2', line: 6 },
    ]);
  });
});
