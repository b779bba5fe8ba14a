import { describe, expect, it } from 'vitest';
import { warningsIn } from '../src/data/warnings.js';
import { readYamlSource } from '../src/data/yaml-source.js';

/** The warnings for one file, as `code line:column`. */
function warnings(yaml: string): string[] {
  const { source } = readYamlSource('x.yaml', new TextEncoder().encode(yaml));
  if (!source) throw new Error('the test YAML does not parse');
  return warningsIn(source).map((w) => `${w.code} ${w.position?.line}:${w.position?.column}`);
}

describe('warnings', () => {
  it('are not given for what is written on purpose', () => {
    expect(warnings([
      'title: Purpose of the Report   # the heading',
      'status: complete # done in March',
      'quoted: "see action #11"',
      'date: 19\u00a0September', // a no-break space inside text keeps words together
      'escaped: "x\\u00a0"', // written as an escape, so meant
      'guidance: the council’s “Promoting Health” guidance',
      'folded: >-',
      '  one line #3 and more',
      '',
    ].join('\n'))).toEqual([]);
  });

  it('name a "#" that cut a plain text short, after a single word too', () => {
    expect(warnings('a: Priority #1 is the workforce\nb: see (page # 4)\n')).toEqual(['COMMENT_IN_TEXT 1:13', 'COMMENT_IN_TEXT 2:14']);
  });

  it('name invisible characters at either end of a value, and zero-width ones anywhere', () => {
    expect(warnings('a: x\u200by\nb: "\u2009quoted"\n')).toEqual(['INVISIBLE_CHARACTER 1:5', 'INVISIBLE_CHARACTER 2:5']);
  });

  it('name a curly quote that closes nothing, and a single one never closed', () => {
    expect(warnings('a: said ” here\nb: ‘quoted\n')).toEqual(['CURLY_QUOTES 1:9', 'CURLY_QUOTES 2:4']);
  });

  it('name a Word bullet in a literal block too, and a value that starts with one', () => {
    expect(warnings('a: |\n  Items:\n  ▪ one\nb: • alone\n')).toEqual(['WORD_BULLET 3:3', 'WORD_BULLET 4:4']);
  });

  it('name a Markdown table that YAML folds into one line', () => {
    const yaml = 'text: >-\n  Before.\n\n  | a | b |\n  |---|:-:|\n  | 1 | 2 |\n';
    expect(warnings(yaml)).toEqual(['MARKDOWN_TABLE 4:3']);
    // Written after |, each row keeps its line.
    expect(warnings(yaml.replace('>-', '|'))).toEqual([]);
  });
});
