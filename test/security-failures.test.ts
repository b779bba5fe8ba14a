import { spawnSync } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsiError } from '../src/errors.js';
import { buildReport } from '../src/pipeline.js';
import { launchPrinter } from '../src/pdf/printer.js';
import type { PrinterOptions } from '../src/pdf/printer.js';
import { proxiedBrowser, removed, running } from './helpers/browser.js';
import { SEED_DATA, tempDir } from './helpers/data.js';
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

describeWithBrowser('a browser that fails mid-render', () => {
  it('crashed or killed: exit 3 with a clear message, the previous report intact, and its profile gone', async () => {
    const out = await outWithPreviousReport();
    const browser = await proxiedBrowser('crash');
    const build = csi(['build-report', SEED_DATA, '--out', out, '--chrome', browser.path]);
    await browser.printing(build);
    const { code, stderr } = await build;
    expect(code).toBe(3);
    expect(stderr).toMatch(/^csi: the browser stopped while printing the report \(it crashed or was killed\)/);
    await expectPreviousReport(out);
    const [launch] = await browser.launches();
    expect(removed(launch!.profile)).toBe(true);
  });

  it('hung: stopped after the render timeout with exit 3, the previous report intact, and the browser killed', async () => {
    const out = await outWithPreviousReport();
    const browser = await proxiedBrowser('hang');
    // A render deadline of two seconds (not CSI_RENDER_TIMEOUT's whole seconds, which the
    // launch obeys too), but as long as a busy machine needs for the launch. On a busy
    // machine the deadline may pass while the report loads, before the print is asked for.
    const printer = (options: PrinterOptions) => launchPrinter({ ...options, timeoutMs: 2000, launchTimeoutMs: 120_000 });
    const build = buildReport({ dataDir: SEED_DATA, outDir: out, chrome: browser.path, launchPrinter: printer });
    const error = await build.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(CsiError);
    expect((error as CsiError).exitCode).toBe(3);
    expect((error as CsiError).message).toMatch(/^the browser did not finish printing the report within 2 s/);
    await expectPreviousReport(out);
    const [launch] = await browser.launches();
    expect([running(launch!.proxy), running(launch!.browser), removed(launch!.profile)]).toEqual([false, false, true]);
  });
});

describe('a browser that will not start', () => {
  it('exit 3 with a clear message; the HTML is not put in place without the PDF', async () => {
    const out = await outWithPreviousReport();
    const broken = join(await tempDir(), 'browser');
    await writeFile(broken, '#!/bin/sh\necho "no display here" >&2\nexit 1\n');
    await chmod(broken, 0o755);
    const { code, stderr } = await csi(['build-report', SEED_DATA, '--out', out, '--chrome', broken]);
    expect(code).toBe(3);
    expect(stderr).toMatch(new RegExp(`^csi: could not start the browser at ${broken} `));
    await expectPreviousReport(out);
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
