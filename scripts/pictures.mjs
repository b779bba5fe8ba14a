#!/usr/bin/env node
// The README's two pictures, drawn from an example plan so that they stay true:
//   docs/images/pdf-page.png   a page of the PDF (pdftoppm, from poppler-utils)
//   docs/images/phone.png      the top of the HTML at a phone's width, 390 px (headless Chromium)
//
//   npm run docs:pictures      # builds csi first; needs Chromium and poppler-utils
//
// The plan is examples/westmere (a fictional council with a front sheet and a progress
// chart), built with a fixed SOURCE_DATE_EPOCH.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PLAN = join(ROOT, 'examples', 'westmere');
const IMAGES = join(ROOT, 'docs', 'images');
/** Which page of the PDF to show: the one with the progress chart. */
const PAGE = Number(process.env.PICTURE_PAGE ?? 3);
const PHONE = { width: 390, height: 760, deviceScaleFactor: 1, isMobile: true, hasTouch: true };

const work = await mkdtemp(join(tmpdir(), 'csi-pictures-'));
try {
  execFileSync(process.execPath, [join(ROOT, 'bin', 'csi.js'), 'build-report', '--out', work], {
    cwd: PLAN,
    env: { ...process.env, SOURCE_DATE_EPOCH: '1737417600' },
    stdio: 'inherit',
  });
  await mkdir(IMAGES, { recursive: true });

  // One page at 50 dpi: about the width of a phone screenshot, and small.
  execFileSync('pdftoppm', ['-png', '-r', '50', '-f', String(PAGE), '-l', String(PAGE), '-singlefile', join(work, 'report.pdf'), join(work, 'page')]);
  await rename(join(work, 'page.png'), join(IMAGES, 'pdf-page.png'));

  const { findBrowser } = await import(pathToFileURL(join(ROOT, 'dist', 'pdf', 'browser.js')).href);
  const browser = await puppeteer.launch({
    executablePath: findBrowser(undefined),
    headless: true,
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport(PHONE);
    await page.goto(pathToFileURL(join(work, 'report.html')).href, { waitUntil: 'load' });
    await page.screenshot({ path: join(IMAGES, 'phone.png'), type: 'png' });
  } finally {
    await browser.close();
  }
  console.log('wrote docs/images/pdf-page.png and docs/images/phone.png');
} finally {
  await rm(work, { recursive: true, force: true });
}
