import { access, readdir, readFile } from 'node:fs/promises';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('..', import.meta.url).pathname;

// How-to pages written with the features they describe, on other branches: linked from
// the docs map now, they arrive when those branches are merged. Remove each name once
// its page is here (the test says so).
const PAGES_TO_COME = new Set<string>([]);

const exists = (path: string) => access(path).then(() => true, () => false);

/** GitHub's anchor for a heading. */
const anchor = (heading: string) => heading.trim().toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-');

async function pages(): Promise<string[]> {
  const docs = (await readdir(join(ROOT, 'docs'), { recursive: true })).filter((p) => p.endsWith('.md')).map((p) => join('docs', p));
  return ['README.md', 'CONTRIBUTING.md', ...docs].sort();
}

describe('links in README.md, CONTRIBUTING.md and docs/', () => {
  it('lead to a file that is there, and to a heading on it', async () => {
    const broken: string[] = [];
    const toCome = new Set<string>();
    for (const page of await pages()) {
      const text = (await readFile(join(ROOT, page), 'utf8')).replace(/```[\s\S]*?```/g, '');
      for (const m of text.matchAll(/\]\(([^)\s]+)\)|src="([^"]+)"/g)) {
        const link = m[1] ?? m[2]!;
        if (/^[a-z]+:/.test(link)) continue;
        const [path = '', hash] = link.split('#');
        const target = path ? normalize(join(dirname(page), path)) : page;
        if (!(await exists(join(ROOT, target)))) {
          if (PAGES_TO_COME.has(target)) toCome.add(target);
          else broken.push(`${page}: ${link}`);
          continue;
        }
        if (hash && target.endsWith('.md')) {
          const headings = [...(await readFile(join(ROOT, target), 'utf8')).matchAll(/^#+ (.+)$/gm)].map((h) => anchor(h[1]!));
          if (!headings.includes(hash)) broken.push(`${page}: ${link} (no such heading)`);
        }
      }
    }
    expect(broken).toEqual([]);
    for (const page of PAGES_TO_COME) {
      if (!toCome.has(page)) expect(await exists(join(ROOT, page)), `${relative(ROOT, join(ROOT, page))} is here now: take it off PAGES_TO_COME`).toBe(false);
    }
  });
});
