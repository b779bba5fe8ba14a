import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { writeAtomic } from '../output.js';
import type { PageNumbers } from './paginate.js';

/**
 * Where each heading landed the last time a PDF was printed to the same path.
 * Printing starts from these numbers: when the headings have not moved (most
 * rebuilds while an officer edits the text), one print is enough instead of two.
 * The numbers are only a first guess. The printed PDF is always checked, and
 * printed again if any heading moved, so what is remembered never changes the output.
 */
export interface RememberedPages {
  recall(pdfPath: string): Promise<PageNumbers | undefined>;
  remember(pdfPath: string, pages: PageNumbers): Promise<void>;
}

/**
 * csi's cache folder, where it remembers page numbers between runs (csi keeps nothing
 * else there): CSI_CACHE_DIR, else `csi` in XDG_CACHE_HOME (when absolute, as the XDG
 * rules ask) or in ~/.cache; none with `CSI_CACHE_DIR=off` or without a home folder.
 */
export function cacheDir(env: NodeJS.ProcessEnv): string | undefined {
  if (env.CSI_CACHE_DIR === 'off') return undefined;
  if (env.CSI_CACHE_DIR) return resolve(env.CSI_CACHE_DIR);
  if (env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)) return join(env.XDG_CACHE_HOME, 'csi');
  let home = '';
  try {
    home = homedir();
  } catch {
    // no home folder (some service accounts): nothing is remembered
  }
  return home && isAbsolute(home) && home !== '/' ? join(home, '.cache', 'csi') : undefined;
}

const FORMAT = 1;

/** Remembered pages kept as one small JSON file per output path; any failure just means no guess. */
export function rememberedPages(env: NodeJS.ProcessEnv): RememberedPages {
  const dir = cacheDir(env);
  const fileFor = (pdfPath: string) =>
    join(dir!, 'page-numbers', `${createHash('sha256').update(resolve(pdfPath)).digest('hex').slice(0, 32)}.json`);
  return {
    async recall(pdfPath) {
      if (!dir) return undefined;
      try {
        const saved = JSON.parse(await readFile(fileFor(pdfPath), 'utf8')) as { format?: number; pages?: Record<string, unknown> };
        if (saved.format !== FORMAT || typeof saved.pages !== 'object' || saved.pages === null) return undefined;
        const pages = Object.entries(saved.pages).filter((e): e is [string, number] => Number.isInteger(e[1]) && (e[1] as number) > 0);
        return new Map(pages);
      } catch {
        return undefined;
      }
    },
    async remember(pdfPath, pages) {
      if (!dir) return;
      try {
        await mkdir(join(dir, 'page-numbers'), { recursive: true });
        await writeAtomic(fileFor(pdfPath), `${JSON.stringify({ format: FORMAT, pages: Object.fromEntries(pages) })}\n`);
      } catch {
        // A cache that cannot be written costs a second print next time, nothing more.
      }
    },
  };
}
