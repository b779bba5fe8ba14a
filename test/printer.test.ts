import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { launchPrinter, NETWORK_OFF_ARGS } from '../src/pdf/printer.js';
import { proxiedBrowser, removed, running } from './helpers/browser.js';
import { BIN } from './helpers/cli.js';
import { SEED_DATA, tempDir } from './helpers/data.js';
import { describeWithBrowser } from './helpers/environment.js';

describeWithBrowser('the printer (pdf/printer.ts), the one module that owns the browser', () => {
  it('launches it through a pipe, with csi\'s flags and a profile of its own, and ends both when it closes', async () => {
    const browser = await proxiedBrowser();
    const printer = await launchPrinter({ executablePath: browser.path });
    const pdf = await (await printer.load({ html: '<p>hello</p>', headerTemplate: '<span></span>', footerTemplate: '<span></span>' })).print();
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    await printer.close();

    const [launch, ...more] = await browser.launches();
    expect(more).toEqual([]);
    const wanted = ['--remote-debugging-pipe', '--headless', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', ...NETWORK_OFF_ARGS];
    expect(wanted.filter((flag) => !launch!.args.includes(flag))).toEqual([]);
    expect(launch!.args.includes('--no-sandbox')).toBe(process.getuid?.() === 0);
    expect(launch!.profile?.startsWith(join(tmpdir(), 'csi-chromium-'))).toBe(true);
    expect([running(launch!.proxy), running(launch!.browser), removed(launch!.profile)]).toEqual([false, false, true]);
  });

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`${signal} while printing: the browser is killed, its profile removed, csi ends by the signal, the previous report intact`, async () => {
      const out = join(await tempDir(), 'out');
      await mkdir(out);
      await writeFile(join(out, 'report.pdf'), '%PDF previous');
      const browser = await proxiedBrowser('hang');
      const child = spawn(process.execPath, [BIN, 'build-report', SEED_DATA, '--out', out, '--chrome', browser.path], { stdio: 'ignore' });
      const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, s) => resolve({ code, signal: s })));
      await browser.printing(ended);
      child.kill(signal);
      expect(await ended).toEqual({ code: null, signal });
      const [launch] = await browser.launches();
      expect([running(launch!.proxy), running(launch!.browser), removed(launch!.profile)]).toEqual([false, false, true]);
      expect(await readFile(join(out, 'report.pdf'), 'utf8')).toBe('%PDF previous');
      // No hidden temporary file beside it (the HTML was staged when the signal came: issue 27.10).
      expect(await readdir(out)).toEqual(['report.pdf']);
    });
  }

  it('removes the profiles of earlier runs killed outright (SIGKILL), once their process is gone, and no other', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const stale = join(tmpdir(), `csi-chromium-${dead}-AbC123`);
    const live = join(tmpdir(), 'csi-chromium-1-AbC123'); // pid 1 is always running
    const other = join(tmpdir(), 'csi-chromium-notours');
    for (const dir of [stale, live, other]) await mkdir(dir);
    try {
      const printer = await launchPrinter({ executablePath: (await proxiedBrowser()).path });
      await printer.close();
      expect([existsSync(stale), existsSync(live), existsSync(other)]).toEqual([false, true, true]);
    } finally {
      for (const dir of [stale, live, other]) await rm(dir, { recursive: true, force: true });
    }
  });

  it('under a file size limit (ulimit -f): a message and exit 3, not death by SIGXFSZ, and no partial file', async () => {
    const out = join(await tempDir(), 'out');
    const run = spawnSync('bash', ['-c', `ulimit -f 20; exec "${process.execPath}" "${BIN}" build-report "${SEED_DATA}" --format html --out "${out}"`], { encoding: 'utf8' });
    expect([run.status, run.signal]).toEqual([3, null]);
    expect(run.stderr).toMatch(/^csi: cannot write .*report\.html \(EFBIG\) \(the file is larger than csi may write here/);
    expect(await readdir(out)).toEqual([]);
  });
});
