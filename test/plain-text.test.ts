import { describe, expect, it } from 'vitest';
import { markdownAsText } from '../src/text/plain.js';

const lookup = Object.assign((key: string) => (key === 'chronology' ? { number: 1 } : undefined), {
  paragraph: (section: string, n: number) => (section === 'purpose' && n === 2 ? { number: '1.2' } : undefined),
  count: (what: string, status: string | undefined) => (what === 'all' && status === 'complete' ? 42 : undefined),
});

describe('Markdown as the reader reads it, for a diff', () => {
  it('drops the marks and prints references as the report does', () => {
    expect(markdownAsText('**See [[appendix:chronology]]** and _para_ [[paragraph:purpose/2]]: [[count:all/complete]] done', lookup)).toBe(
      'See Appendix 1 and para 1.2: 42 done',
    );
  });

  it('keeps a reference that finds nothing as written, as the report does', () => {
    expect(markdownAsText('See [[appendix:gone]]', lookup)).toBe('See [[appendix:gone]]');
  });

  it('keeps links as their words, entities as characters, lists one item a line', () => {
    expect(markdownAsText('Read [the plan](https://example.org) &amp; `this` <b>now</b>', lookup)).toBe('Read the plan & this now');
    expect(markdownAsText('Three steps:\n\n- first\n- **second**\n\n1. one\n2. two', lookup)).toBe('Three steps:\n\n- first\n- second\n\n1. one\n2. two');
  });

  it('leaves plain text alone', () => {
    expect(markdownAsText('Nothing to see - here, 96% of 2017/18', lookup)).toBe('Nothing to see - here, 96% of 2017/18');
  });
});
