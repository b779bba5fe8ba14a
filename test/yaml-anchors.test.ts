import { describe, expect, it } from 'vitest';
import { readYamlSource } from '../src/data/yaml-source.js';

const read = (text: string) => readYamlSource('report.yaml', new TextEncoder().encode(text));

// Issue 27, point 11: the limit on anchors and aliases counted `*italic*` words in text.
describe('the limit of 1000 anchors, aliases and tags counts only real ones (issue 27.11)', () => {
  it('reads a file with 1,200 *italic* words in its text', () => {
    // Twenty on a line, and a line of text that begins with one.
    const lines = Array.from({ length: 60 }, (_, i) => `  - text: Line ${i} has *twenty* *italic* *words* *in* *it* and *more* *of* *them* *here* *too*\n      *so* *many* *that* *a* *scan* *would* *count* *each* *one* *wrongly*`);
    const { source, problems } = read(`items:\n${lines.join('\n')}\n`);
    expect(problems).toEqual([]);
    expect(JSON.stringify(source?.value)).toContain('*italic*');
  });

  it('refuses 1,001 real anchors and aliases, at the one past the limit', () => {
    const anchors = Array.from({ length: 1000 }, (_, i) => `  - some_long_enough_key_name: &a${i} value`).join('\n');
    const { problems } = read(`list:\n${anchors}\nlast: *a999\n`);
    expect(problems.map((p) => [p.code, p.message, p.position?.line])).toEqual([
      ['YAML_SYNTAX', 'the file has more than 1000 anchors, aliases and tags', 1002],
    ]);
  });
});
