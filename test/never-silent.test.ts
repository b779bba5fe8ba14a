import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { launchPrinter } from '../src/pdf/printer.js';
import { proxiedBrowser, removed, running } from './helpers/browser.js';
import { csi, csiBinary } from './helpers/cli.js';
import { SEED_DATA, seedCopy, tempDir } from './helpers/data.js';
import { describeWithBrowser } from './helpers/environment.js';

// Issue 27, points 6 and 7: an error raised while the browser starts was lost, and csi
// exited 0 having written nothing (puppeteer's launch never settled when the browser was
// ended while puppeteer attached to it, and signal-exit turned node's exit code 13 into 0); a browser that never answered as it started held csi for good.

const RUNS = 20;

describeWithBrowser('never a silent exit 0 (issue 27.6, 27.7)', () => {
  const cases: { name: string; args: (data: string) => string[]; code: number; says: RegExp }[] = [
    { name: 'an unknown theme', args: (data) => [data, '--theme', 'no-such-theme'], code: 2, says: /theme folder .*no-such-theme/ },
    { name: 'an unknown revision', args: (data) => [data, '--changes-since', 'no-such-revision-27'], code: 2, says: /no-such-revision-27/ },
    { name: 'a missing settings file', args: (data) => [data, '--config', 'no-such-config.yaml'], code: 2, says: /no-such-config\.yaml/ },
    { name: 'invalid data', args: () => ['BROKEN'], code: 1, says: /nothing was written/ },
  ];
  for (const { name, args, code, says } of cases) {
    for (const browser of [true, false]) {
      it(`${name}, ${browser ? 'while the browser starts' : 'with no browser (--format html)'}: exit ${code} with a message, ${RUNS} times in ${RUNS}`, async () => {
        const broken = await seedCopy('report.yaml', (text) => text.replace(/^title:/m, 'titel:'));
        const out = join(await tempDir(), 'out');
        const argv = ['build-report', ...args(SEED_DATA).map((a) => (a === 'BROKEN' ? broken : a)), '--out', out, ...(browser ? [] : ['--format', 'html'])];
        // In the process, so that each run is quick: the error lost, a run never ended (and the
        // binary, with nothing left to wait for, exited 0 — bin/csi.js now says so, exit 3).
        const runs = [];
        for (let i = 0; i < RUNS; i++) runs.push(await csi(argv));
        expect(runs.map((r) => r.code)).toEqual(Array<number>(RUNS).fill(code));
        expect(runs.filter((r) => !says.test(r.stderr)).map((r) => r.stderr)).toEqual([]);
        expect(existsSync(out)).toBe(false);
      });
    }
  }

  it('a browser killed while puppeteer attaches to it: the launch fails (puppeteer alone would never settle)', async () => {
    const browser = await proxiedBrowser('crash-start');
    const started = launchPrinter({ executablePath: browser.path, timeoutMs: 3000 });
    await expect(started).rejects.toMatchObject({ code: 'RENDER_FAILED', kind: 'environment' });
    const [launch] = await browser.launches();
    expect([running(launch!.proxy), running(launch!.browser), removed(launch!.profile)]).toEqual([false, false, true]);
  }, 20_000);

  it('a browser that never answers as it starts: exit 3 within CSI_RENDER_TIMEOUT, nothing written, no profile left', async () => {
    const browser = await proxiedBrowser('hang-start');
    const out = join(await tempDir(), 'out');
    const run = await csiBinary(['build-report', SEED_DATA, '--out', out, '--chrome', browser.path], { env: { CSI_RENDER_TIMEOUT: '1' } });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/the browser at .* did not start within 1 s/);
    expect([existsSync(join(out, 'report.pdf')), existsSync(join(out, 'report.html'))]).toEqual([false, false]);
    const [launch] = await browser.launches();
    expect([running(launch!.proxy), running(launch!.browser), removed(launch!.profile)]).toEqual([false, false, true]);
  }, 20_000);
});

describeWithBrowser('a printer no longer wanted while its browser starts (issue 27.6)', () => {
  it('the launch fails at once, though puppeteer\'s own would never settle, and the browser and profile go', async () => {
    const browser = await proxiedBrowser('hang-start');
    const unwanted = new AbortController();
    const started = launchPrinter({ executablePath: browser.path, signal: unwanted.signal });
    await browser.printing(started); // here: asked to attach to its first tab
    unwanted.abort();
    await expect(started).rejects.toMatchObject({ code: 'RENDER_FAILED', kind: 'environment' });
    const [launch] = await browser.launches();
    expect([running(launch!.proxy), running(launch!.browser), removed(launch!.profile)]).toEqual([false, false, true]);
  }, 20_000);
});

describeWithBrowser('the launch obeys the render timeout (issue 27.7)', () => {
  it('a browser that never answers as it starts: the printer gives up at its timeout, and the browser and profile go', async () => {
    const browser = await proxiedBrowser('hang-start');
    await expect(launchPrinter({ executablePath: browser.path, timeoutMs: 1000 })).rejects.toMatchObject({ code: 'RENDER_FAILED', message: expect.stringMatching(/did not start within 1 s/) });
    // On a busy machine the deadline may pass before the browser has even said it started.
    for (const launch of await browser.launches()) expect([running(launch.proxy), running(launch.browser), removed(launch.profile)]).toEqual([false, false, true]);
  }, 20_000);
});
