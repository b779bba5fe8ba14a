import { parseCircular, parseDependencyTree } from 'dpdm';
import type { DependencyTree } from 'dpdm';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../', import.meta.url).pathname;

/**
 * The rooms of src/, top to bottom: the stages of a build and what they stand on. The rule:
 * a file may import a file of its own room (its folder, or itself for a file at the top of
 * src/) or of a room in a LOWER layer; never one in its own layer or above. So the CLI
 * drives the preview and the pipeline, the pipeline drives the PDF and the view, and the
 * data never knows it is rendered.
 *
 *   index → cli → preview → config → config-statuses → pipeline | import | export → pdf | view → diff
 *     → provenance | scaffold | problem-text → output → git → model → data → text
 *     → errors | trace | version → paths
 *
 * The view is above diff because it shows the "Changes since" appendix that diff works out
 * (diff never renders the report). pdf and view are peers: neither imports the other.
 * csi import and csi export (a tracker in, a tracker out) are stages beside the pipeline.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['src/index.ts'],
  ['src/cli/'],
  ['src/preview/'],
  ['src/config.ts'],
  ['src/config-statuses.ts'],
  ['src/pipeline.ts', 'src/import/', 'src/export/'],
  ['src/pdf/', 'src/view/'],
  ['src/diff/'],
  ['src/provenance.ts', 'src/scaffold.ts', 'src/problem-text.ts'],
  ['src/output.ts'],
  ['src/git.ts'],
  ['src/model/'],
  ['src/data/'],
  ['src/text/'],
  ['src/errors.ts', 'src/trace.ts', 'src/version.ts'],
  ['src/paths.ts'],
];

/** The room a file is in and its layer (0 at the top), or undefined for a file no layer names. */
function roomOf(file: string): { room: string; layer: number } | undefined {
  for (const [layer, rooms] of LAYERS.entries()) {
    const room = rooms.find((r) => (r.endsWith('/') ? file.startsWith(r) : file === r));
    if (room) return { room, layer };
  }
  return undefined;
}

/** Every import from one file of src/ to another: `from → to`. */
function importsOf(tree: DependencyTree): [string, string][] {
  return Object.entries(tree)
    .filter(([file]) => file.startsWith('src/'))
    .flatMap(([file, deps]) => (deps ?? []).filter((d) => d.id?.startsWith('src/')).map((d): [string, string] => [file, d.id!]));
}

describe('the import graph of src/ (dpdm)', () => {
  let tree: DependencyTree;
  beforeAll(async () => {
    tree = await parseDependencyTree('src/**/*.ts', { cwd: ROOT, context: ROOT, transform: false, skipDynamicImports: false });
  });

  it('has no circles, type-only imports and import() included', () => {
    // It did read the sources, and followed imports written with .js to their .ts files.
    expect(Object.keys(tree).filter((f) => f.startsWith('src/')).length).toBeGreaterThan(60);
    expect(tree['src/pipeline.ts']!.map((d) => d.id)).toContain('src/model/withhold.ts');
    expect(parseCircular(tree)).toEqual([]);
  });

  it('puts every file of src/ in a room', () => {
    expect(Object.keys(tree).filter((f) => f.startsWith('src/') && !roomOf(f))).toEqual([]);
  });

  it('has no import that runs up, or sideways between rooms of one layer', () => {
    const wrong = importsOf(tree).filter(([from, to]) => {
      const a = roomOf(from)!;
      const b = roomOf(to)!;
      return a.room !== b.room && b.layer <= a.layer;
    });
    expect(wrong.map(([from, to]) => `${from} → ${to}`)).toEqual([]);
  });

  it('lets only the pipeline into src/pdf/, and only through its door, src/pdf/index.ts', () => {
    const intoPdf = importsOf(tree).filter(([from, to]) => to.startsWith('src/pdf/') && !from.startsWith('src/pdf/'));
    expect(intoPdf.length).toBeGreaterThan(0);
    expect(intoPdf.map(([from, to]) => `${from} → ${to}`)).toEqual(intoPdf.map(() => 'src/pipeline.ts → src/pdf/index.ts'));
  });
});
