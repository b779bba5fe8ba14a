import { describe, expect, it } from 'vitest';
import { wordDiff } from '../src/diff/words.js';

const changed = (from: string, to: string) => wordDiff(from, to).filter((p) => p.op !== 'equal');

describe('word diff of figures', () => {
  it('compares a percentage, a sum of money and a year range whole, never split at the point', () => {
    expect(changed('Timeliness is 96% this quarter', 'Timeliness is 99% this quarter')).toEqual([
      { op: 'removed', text: '96%' },
      { op: 'added', text: '99%' },
    ]);
    expect(changed('Spend of £0.06m in 2016/17.', 'Spend of £0.08m in 2016/17.')).toEqual([
      { op: 'removed', text: '£0.06m' },
      { op: 'added', text: '£0.08m' },
    ]);
    expect(changed('Plan for 2016/17.', 'Plan for 2017/18.')).toEqual([
      { op: 'removed', text: '2016/17' },
      { op: 'added', text: '2017/18' },
    ]);
  });

  it('words around figures still diff word by word', () => {
    expect(changed('events for each case in 2012', 'events in each case in 2012')).toEqual([
      { op: 'removed', text: 'for' },
      { op: 'added', text: 'in' },
    ]);
  });
});
