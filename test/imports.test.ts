import { parseCircular, parseDependencyTree } from 'dpdm';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../', import.meta.url).pathname;

describe('the import graph of src/ (dpdm)', () => {
  it('has no circles, type-only imports and import() included', async () => {
    const tree = await parseDependencyTree('src/**/*.ts', { cwd: ROOT, context: ROOT, transform: false, skipDynamicImports: false });
    // It did read the sources, and followed imports written with .js to their .ts files.
    expect(Object.keys(tree).filter((f) => f.startsWith('src/')).length).toBeGreaterThan(60);
    expect(tree['src/pipeline.ts']!.map((d) => d.id)).toContain('src/model/withhold.ts');
    expect(parseCircular(tree)).toEqual([]);
  });
});
