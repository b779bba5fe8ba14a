import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../src/pipeline.js';
import type { Progress } from '../src/pipeline.js';
import { printWithPageNumbers } from '../src/render/paginate.js';
import type { PageNumbers } from '../src/render/paginate.js';
import { cacheDir, rememberedPages } from '../src/render/remembered-pages.js';
import { proxiedBrowser, removed } from './helpers/browser.js';
import { SEED_DATA, tempDir } from './helpers/data.js';
import { describeWithBrowser } from './helpers/environment.js';

const outline = ['intro', 'background', 'appendix-1'].map((anchor) => ({ anchor, text: anchor, level: 2 }));
/** Where the headings of this pretend report always land, whatever numbers it prints. */
const LANDS = new Map([['intro', 2], ['background', 3], ['appendix-1', 9]]);

/** printWithPageNumbers on a pretend printer: counts prints and records the numbers each used. */
async function paginate(remembered?: PageNumbers) {
  const printed: string[] = [];
  const result = await printWithPageNumbers(
    async (html) => {
      printed.push(html);
      return new TextEncoder().encode(html);
    },
    (pages) => JSON.stringify([...pages]),
    async (pdf) => ({ pdf, pages: new Map(LANDS) }),
    outline as never,
    remembered,
  );
  return { ...result, printed };
}

describe('page numbers', () => {
  it('prints twice with nothing remembered: placeholders first, then where the headings landed', async () => {
    const { passes, pages, printed } = await paginate();
    expect(passes).toBe(2);
    expect(pages).toEqual(LANDS);
    expect(JSON.parse(printed[1]!)).toEqual([...LANDS]);
  });

  it('prints once when the remembered numbers are where the headings land', async () => {
    const { passes, pages } = await paginate(new Map(LANDS));
    expect(passes).toBe(1);
    expect(pages).toEqual(LANDS);
  });

  it('prints again when a remembered number is wrong, and ends with the true ones', async () => {
    const { passes, pages, printed } = await paginate(new Map([...LANDS, ['appendix-1', 10]]));
    expect(passes).toBe(2);
    expect(pages).toEqual(LANDS);
    expect(JSON.parse(printed[1]!)).toEqual([...LANDS]);
  });
});

describe('remembered page numbers', () => {
  it('keeps one small file per output path under CSI_CACHE_DIR, and reads it back', async () => {
    const dir = await tempDir();
    const memory = rememberedPages({ CSI_CACHE_DIR: dir });
    expect(await memory.recall('out/report.pdf')).toBeUndefined();
    await memory.remember('out/report.pdf', LANDS);
    expect(await memory.recall('out/report.pdf')).toEqual(LANDS);
    expect(await memory.recall('other/report.pdf')).toBeUndefined();
    expect(await readdir(join(dir, 'page-numbers'))).toHaveLength(1);
  });

  it('treats a damaged file as nothing remembered', async () => {
    const dir = await tempDir();
    const memory = rememberedPages({ CSI_CACHE_DIR: dir });
    await memory.remember('out/report.pdf', LANDS);
    const [file] = await readdir(join(dir, 'page-numbers'));
    await writeFile(join(dir, 'page-numbers', file!), '{"format":1,"pages":');
    expect(await memory.recall('out/report.pdf')).toBeUndefined();
    await writeFile(join(dir, 'page-numbers', file!), '{"format":1,"pages":{"intro":"two","background":-1,"appendix-1":9}}');
    expect(await memory.recall('out/report.pdf')).toEqual(new Map([['appendix-1', 9]]));
  });

  it('remembers nothing with CSI_CACHE_DIR=off, and a folder it cannot write costs nothing', async () => {
    expect(cacheDir({ CSI_CACHE_DIR: 'off' })).toBeUndefined();
    const off = rememberedPages({ CSI_CACHE_DIR: 'off' });
    await off.remember('out/report.pdf', LANDS);
    expect(await off.recall('out/report.pdf')).toBeUndefined();
    const blocked = join(await tempDir(), 'a-file');
    await writeFile(blocked, 'not a folder');
    await expect(rememberedPages({ CSI_CACHE_DIR: blocked }).remember('out/report.pdf', LANDS)).resolves.toBeUndefined();
  });

  it('defaults to the user cache folder', () => {
    expect(cacheDir({ XDG_CACHE_HOME: '/home/x/.cache' })).toBe('/home/x/.cache/csi');
    expect(cacheDir({ CSI_CACHE_DIR: 'c', XDG_CACHE_HOME: '/x' })).toBe(join(process.cwd(), 'c'));
    // A relative XDG_CACHE_HOME is ignored, as the XDG rules ask.
    expect(cacheDir({ XDG_CACHE_HOME: 'relative' })).toBe(join(homedir(), '.cache', 'csi'));
  });
});

const sha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');

describeWithBrowser('a rebuild with remembered page numbers', () => {
  it('prints once, and makes the same PDF as a build that remembered nothing (or the wrong numbers)', async () => {
    const env = { ...process.env, CSI_CACHE_DIR: await tempDir(), SOURCE_DATE_EPOCH: '1700000000' };
    const out = await tempDir();
    const browser = await proxiedBrowser();
    const build = async (environment: NodeJS.ProcessEnv) => {
      let passes: number | undefined;
      const onProgress = (p: Progress) => (passes = p.passes ?? passes);
      await buildReport({ dataDir: SEED_DATA, outDir: out, formats: ['pdf'], env: environment, chrome: browser.path, onProgress });
      return { passes, sha: await sha256(join(out, 'report.pdf')) };
    };
    const cold = await build(env);
    expect(cold.passes).toBe(2);
    const warm = await build(env);
    expect(warm.passes).toBe(1);
    expect(warm.sha).toBe(cold.sha);

    // Every remembered number one page out: printed again, and the same file all the same.
    const dir = join(env.CSI_CACHE_DIR, 'page-numbers');
    const [file] = await readdir(dir);
    const saved = JSON.parse(await readFile(join(dir, file!), 'utf8')) as { pages: Record<string, number> };
    for (const key of Object.keys(saved.pages)) saved.pages[key]! += 1;
    await writeFile(join(dir, file!), JSON.stringify(saved));
    const wrong = await build(env);
    expect(wrong.passes).toBe(2);
    expect(wrong.sha).toBe(cold.sha);

    const off = await build({ ...env, CSI_CACHE_DIR: 'off' });
    expect(off.passes).toBe(2);
    expect(off.sha).toBe(cold.sha);

    // Each of these builds' browsers had a temporary profile of its own, gone with it.
    const launches = await browser.launches();
    expect(launches).toHaveLength(4);
    expect(new Set(launches.map((l) => l.profile)).size).toBe(4);
    expect(launches.map((l) => removed(l.profile))).toEqual([true, true, true, true]);
  });
});
