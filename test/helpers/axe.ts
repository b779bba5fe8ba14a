import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'puppeteer-core';

const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export interface AxeResult {
  violations: { id: string; impact: string; help: string; nodes: { target: string[]; failureSummary: string }[] }[];
  passes: { id: string }[];
}

/**
 * Runs axe-core's WCAG 2.0, 2.1 and 2.2 A and AA rules over `html` in `page`. The report
 * forbids scripts by CSP; the scanner is ours, not the page's, so the page bypasses it.
 */
export async function runAxe(page: Page, html: string): Promise<AxeResult> {
  await page.setBypassCSP(true);
  await page.setContent(html, { waitUntil: 'load' });
  await page.evaluate(await readFile(AXE_SOURCE, 'utf8'));
  return (await page.evaluate(() =>
    (globalThis as unknown as { axe: { run: (o: unknown) => Promise<unknown> } }).axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'] },
      resultTypes: ['violations', 'passes'],
    }),
  )) as AxeResult;
}
