import { existsSync, readFileSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { tempDir } from './data.js';
import { BROWSER } from './environment.js';

const PROXY = new URL('./browser-proxy.mjs', import.meta.url).pathname;

/** One launch of the browser, as the proxy saw it. */
export interface Launch {
  /** The process csi started (the proxy) and the real browser it started. */
  proxy: number;
  browser: number;
  args: string[];
  /** The profile folder csi gave it. */
  profile: string | undefined;
}

/**
 * A browser for `--chrome` that is the real one behind test/helpers/browser-proxy.mjs:
 * it records each launch, and on the first print passes it on (`none`), crashes (`crash`)
 * or stops answering (`hang`).
 */
export async function proxiedBrowser(cue: 'none' | 'crash' | 'hang' | 'crash-start' | 'hang-start' = 'none') {
  const dir = await tempDir('csi-browser-');
  const path = join(dir, 'browser');
  const record = join(dir, 'launches.jsonl');
  await writeFile(record, '');
  await writeFile(path, `#!/bin/sh\nexec '${process.execPath}' '${PROXY}' '${BROWSER}' ${cue} '${record}' "$@"\n`);
  await chmod(path, 0o755);
  const lines = async () => (await readFile(record, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    path,
    /** Every launch so far. */
    async launches(): Promise<Launch[]> {
      return (await lines())
        .filter((l) => 'proxy' in l)
        .map((l) => {
          const args = l.args as string[];
          const profile = args.find((a) => a.startsWith('--user-data-dir='))?.slice('--user-data-dir='.length);
          return { proxy: l.proxy as number, browser: l.browser as number, args, profile };
        });
    },
    /** Resolves once the browser has met its cue (asked to print, or for -start, to attach) and acted on it; rejects if `build` ends first. */
    async printing(build: Promise<unknown>): Promise<void> {
      let ended = false;
      const end = () => (ended = true);
      build.then(end, end);
      while (!(await lines()).some((l) => 'cue' in l)) {
        if (ended) throw new Error('the build ended before the browser was asked to print');
        await sleep(20);
      }
    },
  };
}

/** True while a process exists and has not ended (a zombie waiting to be reaped has ended). */
export function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** True when the profile folder is gone. */
export const removed = (profile: string | undefined) => profile !== undefined && !existsSync(profile);
