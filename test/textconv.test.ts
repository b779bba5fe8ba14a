import { describe, expect, it } from 'vitest';
import { textconv } from '../src/diff/textconv.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('csi diff --textconv', () => {
  it('prints nothing different for a key-order swap, as csi diff sees none', () => {
    const before = 'kind: aspirations\nkey: a\ntitle: T\naspirations:\n  - id: a-1\n    status: on-track\n    text: Help families early\n';
    const after = 'key: a\nkind: aspirations\ntitle: T\naspirations:\n  - id: a-1\n    text: Help families early\n    status: on-track\n';
    expect(textconv('a.yaml', bytes(after))).toBe(textconv('a.yaml', bytes(before)));
    expect(textconv('a.yaml', bytes(before))).toContain('[a-1]\nstatus: on-track\ntext: Help families early\n');
  });

  it('still shows a change of value', () => {
    const before = 'key: a\naspirations:\n  - id: a-1\n    status: on-track\n';
    expect(textconv('a.yaml', bytes(before.replace('on-track', 'complete')))).not.toBe(textconv('a.yaml', bytes(before)));
  });
});
