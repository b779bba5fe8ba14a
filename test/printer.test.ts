import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
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

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
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
      // Only hidden temporary files beside it, which the next run clears away.
      expect((await readdir(out)).filter((n) => !/^\.report\.html\.\d+\.[0-9a-f]+\.tmp$/.test(n))).toEqual(['report.pdf']);
    });
  }
});
