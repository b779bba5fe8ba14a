import { readFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { seedCopy, SEED_DATA, tempDir } from './helpers/data.js';
import { describeWithBrowser } from './helpers/environment.js';
import { csi, csiBinary } from './helpers/cli.js';

const PREVIOUS = { 'report.html': 'previous good HTML', 'report.pdf': '%PDF previous good PDF' };

/** An output folder holding a previous good report. */
async function outWithPreviousReport(): Promise<string> {
  const out = join(await tempDir(), 'out');
  await mkdir(out);
  for (const [name, text] of Object.entries(PREVIOUS)) await writeFile(join(out, name), text);
  return out;
}

/** The previous report is there, unchanged, and nothing else (no temporary files). */
async function expectPreviousReport(out: string): Promise<void> {
  expect((await readdir(out)).sort()).toEqual(Object.keys(PREVIOUS).sort());
  for (const [name, text] of Object.entries(PREVIOUS)) expect(await readFile(join(out, name), 'utf8')).toBe(text);
}

/** The seed plan with a chronology long enough (about 100 pages) that printing it takes a while. */
async function longPlan(): Promise<string> {
  return seedCopy('chronology.yaml', (text) => {
    const entries = Array.from({ length: 1000 }, (_, i) => {
      const year = 2000 + Math.floor(i / 60);
      const month = String((Math.floor(i / 5) % 12) + 1).padStart(2, '0');
      return `  - { id: long-${i}, date: ${year}-${month}, event: Entry ${i} of a long chronology that takes a while to print }`;
    });
    return `${text.slice(0, text.indexOf('entries:'))}entries:\n${entries.join('\n')}\n`;
  });
}

interface Proc {
  pid: number;
  ppid: number;
  args: string;
}

/** This process's descendants, from `ps`. */
function descendants(root: number): Proc[] {
  const all = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3]! }));
  const found: Proc[] = [];
  const walk = (pid: number) => {
    for (const child of all.filter((p) => p.ppid === pid)) {
      found.push(child);
      walk(child.pid);
    }
  };
  walk(root);
  return found;
}

/** CPU time a process has used, in clock ticks (utime + stime from /proc). */
function cpuTicks(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/**
 * Waits until the browser csi started is printing and returns its pid. csi prints in
 * the page the browser opens with, so "printing" is seen as its renderer getting to
 * work on the report: it has used some CPU since the blank start page.
 */
async function browserWhilePrinting(build: Promise<unknown>): Promise<number> {
  let ended = false;
  void build.finally(() => (ended = true));
  const idle = new Map<number, number>();
  while (!ended) {
    const tree = descendants(process.pid);
    const browser = tree.find((p) => /chrom/i.test(p.args) && !p.args.includes('--type='));
    for (const renderer of tree.filter((p) => p.args.includes('--type=renderer'))) {
      const ticks = cpuTicks(renderer.pid);
      if (!idle.has(renderer.pid)) idle.set(renderer.pid, ticks);
      else if (browser && ticks - idle.get(renderer.pid)! >= 10) return browser.pid;
    }
    await sleep(20);
  }
  throw new Error('the build ended before the browser was seen printing');
}

describeWithBrowser('a browser that fails mid-render', () => {
  it('crashed or killed: exit 3 with a clear message, and the previous report intact', async () => {
    const [data, out] = await Promise.all([longPlan(), outWithPreviousReport()]);
    const build = csi(['build-report', data, '--out', out]);
    process.kill(await browserWhilePrinting(build), 'SIGKILL');
    const { code, stderr } = await build;
    expect(code).toBe(3);
    expect(stderr).toMatch(/^csi: the browser stopped while printing the report \(it crashed or was killed\)/);
    await expectPreviousReport(out);
  });

  it('hung: stopped after CSI_RENDER_TIMEOUT with exit 3, and the previous report intact', async () => {
    const [data, out] = await Promise.all([longPlan(), outWithPreviousReport()]);
    const build = csi(['build-report', data, '--out', out], { CSI_RENDER_TIMEOUT: '5' });
    const browser = await browserWhilePrinting(build);
    process.kill(browser, 'SIGSTOP'); // it stops answering, but stays alive until csi kills it
    const { code, stderr } = await build;
    expect(code).toBe(3);
    expect(stderr).toMatch(/^csi: the browser did not finish printing the report within 5 s/);
    await expectPreviousReport(out);
    expect(descendants(process.pid).map((p) => p.pid)).not.toContain(browser);
  });
});

describe('the output folder', () => {
  it('when read-only: exit 3, and the previous report intact', async () => {
    const out = await outWithPreviousReport();
    await chmod(join(out, '..'), 0o755);
    await chmod(out, 0o555);
    // Root writes to read-only folders regardless, so as root run csi as "nobody" (uid 65534).
    const asRoot = process.getuid?.() === 0;
    const { code, stderr } = asRoot
      ? await csiBinary(['build-report', SEED_DATA, '--out', out, '--format', 'html'], { uid: 65534, gid: 65534 })
      : await csi(['build-report', SEED_DATA, '--out', out, '--format', 'html']);
    await chmod(out, 0o755);
    expect(stderr).toMatch(/^csi: cannot write .*report\.html \(EACCES\)/);
    expect(code).toBe(3);
    await expectPreviousReport(out);
  });

  it('clears away what a run that was killed left behind, once its process is gone', async () => {
    const out = await outWithPreviousReport();
    const gone = spawnSync('true').pid; // a process that has ended
    const leftovers = { dead: `.report.html.${gone}.0badf00d.tmp`, alive: `.report.html.${process.ppid}.0badf00d.tmp` };
    for (const name of Object.values(leftovers)) await writeFile(join(out, name), 'half-written');
    expect((await csi(['build-report', SEED_DATA, '--out', out, '--format', 'html'])).code).toBe(0);
    // A process that is still running may be another csi, busy writing: its file stays.
    expect((await readdir(out)).sort()).toEqual([leftovers.alive, 'report.html', 'report.pdf']);
  });
});

describeWithBrowser('an output that cannot be put in place', () => {
  it('commits neither output (here report.pdf is a folder, so the new HTML is taken back)', async () => {
    const out = join(await tempDir(), 'out');
    await mkdir(join(out, 'report.pdf'), { recursive: true });
    await writeFile(join(out, 'report.html'), PREVIOUS['report.html']);
    // The PDF comes last: the new HTML is already in place when the PDF fails, and must be put back.
    const { code, stderr } = await csi(['build-report', SEED_DATA, '--out', out]);
    expect(code).toBe(3);
    expect(stderr).toMatch(/^csi: cannot write .*report\.pdf \(E[A-Z]+\)/);
    expect((await readdir(out)).sort()).toEqual(['report.html', 'report.pdf']);
    expect(await readFile(join(out, 'report.html'), 'utf8')).toBe(PREVIOUS['report.html']);
  });
});
