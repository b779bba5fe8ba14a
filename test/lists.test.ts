import { describe, expect, it } from 'vitest';
import { readYamlSource } from '../src/data/yaml-source.js';
import { markdownBlock, markdownInline } from '../src/text/markdown.js';

const none = () => undefined;
const read = (yaml: string) => {
  const r = readYamlSource('x.yaml', new TextEncoder().encode(yaml));
  expect(r.problems).toEqual([]);
  return r.source!.value as Record<string, string>;
};

describe('a Markdown list in any text prints as a list', () => {
  it('keeps the lines of a list in a folded (>-) text, which YAML would run into one', () => {
    const v = read('a: >-\n  The plan has two aims:\n  - fewer children in care\n  - better support\nb: >-\n  Steps:\n\n  1. first\n  2. second\n');
    expect(v.a).toBe('The plan has two aims:\n- fewer children in care\n- better support');
    expect(markdownBlock(v.a!, none)).toBe('<p>The plan has two aims:</p>\n<ul>\n<li>fewer children in care</li>\n<li>better support</li>\n</ul>');
    expect(markdownBlock(v.b!, none)).toContain('<ol>\n<li>first</li>\n<li>second</li>\n</ol>');
  });

  it('folds every other folded text as YAML does: a number that only wraps onto a line is not a list', () => {
    const v = read('c: >-\n  In the year to March the council saw\n  2. fewer referrals\nd: >-\n  One line\n  and the next\n');
    expect(v.c).toBe('In the year to March the council saw 2. fewer referrals');
    expect(v.d).toBe('One line and the next');
  });

  it('prints a list in a one-line field (a progress note written after |) as a list, not one run-on line', () => {
    const v = read('progress: |\n  Done so far:\n  - audit\n  - training\n');
    expect(markdownInline(v.progress!, none)).toBe('<p>Done so far:</p>\n<ul>\n<li>audit</li>\n<li>training</li>\n</ul>');
    // A text with no list stays inline, as before.
    expect(markdownInline('Complete **on time**', none)).toBe('Complete <strong>on time</strong>');
    expect(markdownInline('Line one\nline two', none)).toBe('Line one\nline two');
  });
});
