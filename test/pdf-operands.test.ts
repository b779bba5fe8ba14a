import { describe, expect, it } from 'vitest';
import { readOperands, readShownString } from '../src/pdf/operands.js';

const read = (operands: string) => {
  const bytes = new TextEncoder().encode(operands);
  return readOperands(bytes, 0, bytes.length);
};
const bytes = (...values: number[]) => Uint8Array.from(values);

describe('the operands of a content stream operator', () => {
  it('reads numbers as Number does, plain decimals without a string and anything else through Number', () => {
    expect(read('.23999999 0 -.23999999 841.91998 -299090.63 5. +.5')).toEqual([0.23999999, 0, -0.23999999, 841.91998, -299090.63, 5, 0.5]);
    expect(Object.is(read('-0')[0], -0)).toBe(true);
    expect(read('1234567890.1234567 0x10 1.2.3 -')).toEqual([1234567890.1234567, 16, '1.2.3', '-']);
  });

  it('reads names, hex and literal strings, dictionaries (by whether they have an MCID) and nested arrays', () => {
    expect(read('/F1 16')).toEqual(['/F1', 16]);
    expect(read('<00 2a\n4>')).toEqual([bytes(0x00, 0x2a, 0x40)]);
    expect(read('(a\\(b\\)\\101\\n(c))')).toEqual([bytes(0x61, 0x28, 0x62, 0x29, 0x41, 0x0a, 0x28, 0x63, 0x29)]);
    expect(read('/P <</MCID 3>> /Span <</A <</MCIDx 1>> >>')).toEqual(['/P', '<<MCID>>', '/Span', '<<>>']);
    expect(read('[(a) -250 [<62>]]')).toEqual([[bytes(0x61), -250, [bytes(0x62)]]]);
  });

  it('reads a stray delimiter as a word of its own', () => {
    expect(read('}abc')).toEqual(['}', 'abc']);
  });

  it('reads the string a Tj shows as readOperands does, a hex string alone or anything else', () => {
    const shown = (operands: string) => {
      const bytes = new TextEncoder().encode(operands);
      return readShownString(bytes, 0, bytes.length);
    };
    for (const operands of [' <00 41\n4> ', '<>', '(a\)b)', '<41> <42>', '<<>>', `<${'41'.repeat(5000)}>`]) {
      expect(shown(operands)).toEqual(read(operands).at(-1));
    }
  });
});
