import { spawn, spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { init } from '../src/scaffold.js';
import { chromiumArgs } from '../src/pdf/printer.js';
import { startPreview } from '../src/preview/server.js';
import type { Preview } from '../src/preview/server.js';
import { running as alive } from './helpers/browser.js';
import { tempDir } from './helpers/data.js';
import { BROWSER, describeWithBrowser } from './helpers/environment.js';

const BIN = new URL('../bin/csi.js', import.meta.url).pathname;

/** A fresh project made by csi init. */
async function project(): Promise<string> {
  const dir = await tempDir('csi-preview-');
  await init(dir);
  return dir;
}

/** Rewrites a file the way an editor saves it. */
async function edit(path: string, change: (text: string) => string): Promise<void> {
  await writeFile(path, change(await readFile(path, 'utf8')));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Fetches `url` until its body satisfies `wanted`, for at most about a second
 * (the promise csi preview makes); returns the last body either way.
 */
async function pollFor(url: string, wanted: (body: string) => boolean): Promise<string> {
  let body = '';
  for (let attempt = 0; attempt < 40; attempt++) {
    body = await (await fetch(url)).text();
    if (wanted(body)) return body;
    await sleep(25);
  }
  return body;
}

let running: Preview | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function preview(dir: string): Promise<Preview> {
  running = await startPreview({ flags: {}, env: {}, cwd: dir, port: 0 });
  return running;
}

describe('csi preview', () => {
  it('serves the report on 127.0.0.1 and shows a saved change within a second', async () => {
    const dir = await project();
    const { url } = await preview(dir);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(await (await fetch(`${url}report.html`)).text()).toContain("<h1 id=\"top\">Progress on the Children&#x27;s Services Improvement Plan</h1>");

    await edit(join(dir, 'data/report.yaml'), (t) => t.replace('title: Progress', 'title: The Edited Progress'));
    const body = await pollFor(`${url}report.html`, (b) => b.includes('The Edited Progress'));
    expect(body).toContain("<h1 id=\"top\">The Edited Progress on the Children&#x27;s Services Improvement Plan</h1>");
  });

  it('shows the positioned problems instead of the report while the data is invalid, and recovers', async () => {
    const dir = await project();
    const { url } = await preview(dir);
    const report = join(dir, 'data/report.yaml');
    const line = (await readFile(report, 'utf8')).split('\n').findIndex((l) => l.startsWith('status:')) + 1;

    await edit(report, (t) => t.replace('status: draft ', 'status: drfat '));
    const broken = await pollFor(`${url}report.html`, (b) => b.includes('problem'));
    expect(broken).toContain(`data/report.yaml:${line}:9  the text &quot;drfat&quot; is not allowed for &quot;status&quot;`);
    expect(broken).toContain('<title>Problems in the data · csi preview</title>');
    expect(running!.latest().ok).toBe(false);

    await edit(report, (t) => t.replace('status: drfat ', 'status: draft '));
    const fixed = await pollFor(`${url}report.html`, (b) => b.includes('<h1 id="top">'));
    expect(fixed).toContain('<h1 id="top">Progress on the');
    expect(running!.latest().ok).toBe(true);
  });

  it('rebuilds when the config changes, and tells the page over server-sent events', async () => {
    const dir = await project();
    const { url } = await preview(dir);
    const response = await fetch(`${url}events`);
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toMatch(/^event: build\ndata: \{"version":1,"ok":true,/);

    await edit(join(dir, 'csi.config.yaml'), (t) => t.replace('accent: "#1d4f76"', 'accent: "#7a1f5c"'));
    const next = new TextDecoder().decode((await reader.read()).value);
    expect(next).toMatch(/^event: build\ndata: \{"version":2,"ok":true,/);
    await reader.cancel();
    expect(await (await fetch(`${url}report.html`)).text()).toContain('--accent: #7a1f5c;');
  });

  it('rebuilds when a theme file is saved', async () => {
    const dir = await project();
    const theme = await tempDir('csi-theme-');
    await writeFile(join(theme, 'theme.css'), 'h2 { letter-spacing: 0; }\n');
    running = await startPreview({ flags: { theme }, env: {}, cwd: dir, port: 0 });
    expect(await (await fetch(`${running.url}report.html`)).text()).toContain('h2 { letter-spacing: 0; }');
    await writeFile(join(theme, 'theme.css'), 'h2 { letter-spacing: 0.05em; }\n');
    expect(await pollFor(`${running.url}report.html`, (b) => b.includes('0.05em'))).toContain('h2 { letter-spacing: 0.05em; }');
  });

  it('keeps the report\'s strict policy; only the preview page may run its own script', async () => {
    const dir = await project();
    const { url } = await preview(dir);
    const page = await fetch(url);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<iframe id="report" title="The report" src="/report.html"');
    expect(html).toContain('<script src="/preview.js"></script>');
    const report = await fetch(`${url}report.html`);
    expect(report.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:");
    expect(await report.text()).not.toContain('<script');
    expect((await fetch(`${url}preview.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('answers only requests addressed to 127.0.0.1 or localhost', async () => {
    const { url } = await preview(await project());
    const port = new URL(url).port;
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/', headers: { Host: 'attacker.example' } }, (res) => resolve(res.statusCode ?? 0))
        .on('error', reject)
        .end();
    });
    expect(status).toBe(403);
  });

  it('prints its URL and stops cleanly on Ctrl-C', async () => {
    const dir = await project();
    const child = spawn(process.execPath, [BIN, 'preview', '--port', '0'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        const found = stdout.match(/serving (http:\/\/127\.0\.0\.1:\d+\/)/);
        if (found) resolve(found[1]!);
      });
      child.on('exit', () => reject(new Error(`preview exited early: ${stderr}`)));
    });
    expect(await (await fetch(`${url}report.html`)).text()).toContain('Example Borough Council');
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/csi preview: stopped\n$/);
    await expect(fetch(url)).rejects.toThrow();
  });

  it('on a data folder that is not there: the error and exit 2, nothing served (issue 27.12)', async () => {
    const dir = await tempDir('csi-preview-');
    const run = spawnSync(process.execPath, [BIN, 'preview', 'no-such-data', '--port', '0'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect([run.status, run.stdout]).toEqual([2, '']);
    expect(run.stderr).toMatch(/^csi: data directory ".*no-such-data" cannot be read/);
  });

  it('stops when the process that started it is killed outright (issue 27.12)', async () => {
    const dir = await project();
    // A shell stands for the npx that started preview; it prints preview's pid, then is killed.
    const log = join(dir, 'preview.log');
    const shell = spawn('sh', ['-c', `"${process.execPath}" "${BIN}" preview --port 0 >"${log}" 2>&1 & echo $!; wait`], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
    const pid = Number(await new Promise<string>((resolve) => shell.stdout.once('data', (d) => resolve(String(d).trim()))));
    // The shell may print the pid before its redirection has made the log: not there yet reads as empty.
    while (!(await readFile(log, 'utf8').catch(() => '')).includes('serving')) await sleep(50);
    const shellGone = new Promise((resolve) => shell.on('exit', resolve));
    shell.kill('SIGKILL');
    await shellGone;
    // Preview notices its parent is gone and stops (within half a second of a check).
    try {
      while (alive(pid)) await sleep(50);
    } finally {
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
    expect(alive(pid)).toBe(false);
  });
});

