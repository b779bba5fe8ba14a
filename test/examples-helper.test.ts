import { describe, expect, it } from 'vitest';
import { helpExamples, matchesShown, pageExamples } from './helpers/examples.js';

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
