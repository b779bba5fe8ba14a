import { describe, expect, it } from 'vitest';
import { markdownBlock, printsNothing } from '../src/text/markdown.js';

// printsNothing answers most texts without rendering them (a history asks it of every
// text of every version). Its quick answers must be the answers rendering gives.
const rendered = (text: string) => {
  const html = markdownBlock(text, () => undefined);
  if (/<img\b/i.test(html)) return false;
  return html.replace(/<[^>]*>/g, '').replace(/&nbsp;|&#160;|&#xa0;/gi, ' ').trim() === '';
};

describe('printsNothing', () => {
  const texts = [
    'a', 'a<script>alert(1)</script>', 'a\n===', 'a | b\n--|--', 'a<!-- note -->', 'é<br>', 'Ω[[appendix:x]]', 'a\n\n<script>x</script>',
    '    a', 'a&nbsp;', 'x<style>p{}</style>', 'b[x]: http://example.org', // start with a letter: answered without rendering
    '<script>x</script>', '<!-- only a comment -->', '---', '&nbsp;', '[x]: http://example.org', '1.', '**', '<br>', '![](http://example.org/a.png)',
    '<p>Words</p>', '[Words](http://example.org)', '&amp; more', '```js', '~~~a', '2016', '1. a', '- ', '# a',
  ];
  for (const text of texts) {
    it(`answers ${JSON.stringify(text)} as rendering does`, () => {
      expect(printsNothing(text)).toBe(rendered(text));
    });
  }
  it('knows a text of markup alone prints nothing', () => {
    expect(printsNothing('<script>x</script>')).toBe(true);
    expect(printsNothing('<!-- only a comment -->')).toBe(true);
    // Found by this test: a number alone is an empty list, and a fence's info string is not printed.
    expect(printsNothing('1.')).toBe(true);
    expect(printsNothing('```js')).toBe(true);
  });
});
