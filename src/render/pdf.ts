import type { Browser } from 'puppeteer-core';
import { CsiError } from '../errors.js';

/** Flags for a closed network and for running as root in CI containers. */
export function chromiumArgs(isRoot: boolean): string[] {
  return [
    ...(isRoot ? ['--no-sandbox'] : []),
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-default-apps',
    '--disable-extensions',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--font-render-hinting=none',
  ];
}

export interface PrintJob {
  html: string;
  headerTemplate: string;
  footerTemplate: string;
}

/** One browser for the whole run; each print opens and closes a page. */
export interface PdfPrinter {
  print(job: PrintJob): Promise<Uint8Array>;
  close(): Promise<void>;
}

export interface PrinterOptions {
  executablePath: string;
  /** Give up on a launch or a render after this long. */
  timeoutMs?: number;
}

function environmentError(message: string, cause: unknown, hint?: string): CsiError {
  return new CsiError(message, { code: 'RENDER_FAILED', kind: 'environment', cause, ...(hint ? { hint } : {}) });
}

/** Starts the browser. The only place csi talks to puppeteer. */
export async function launchPrinter(options: PrinterOptions): Promise<PdfPrinter> {
  const timeout = options.timeoutMs ?? 60_000;
  const { default: puppeteer } = await import('puppeteer-core');
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath: options.executablePath,
      headless: 'shell',
      args: chromiumArgs(process.getuid?.() === 0),
      timeout,
      protocolTimeout: timeout,
    });
  } catch (cause) {
    throw environmentError(`could not start the browser at ${options.executablePath}`, cause,
      'run with --debug for the browser\'s own message; check the path with --chrome');
  }
  return {
    async print(job) {
      const page = await browser.newPage();
      try {
        // The page is sealed: no scripts, and nothing but data: URLs may load.
        await page.setJavaScriptEnabled(false);
        await page.setRequestInterception(true);
        page.on('request', (request) => {
          if (request.url().startsWith('data:')) void request.continue();
          else void request.abort('blockedbyclient');
        });
        await page.setContent(job.html, { waitUntil: 'load', timeout });
        const pdf = await page.pdf({
          format: 'A4',
          printBackground: true,
          tagged: true,
          outline: true,
          displayHeaderFooter: true,
          headerTemplate: job.headerTemplate,
          footerTemplate: job.footerTemplate,
          margin: { top: '24mm', bottom: '20mm', left: '18mm', right: '18mm' },
          timeout,
        });
        return pdf;
      } catch (cause) {
        throw environmentError('the browser failed to print the report', cause);
      } finally {
        await page.close().catch(() => undefined);
      }
    },
    async close() {
      await browser.close().catch(() => undefined);
    },
  };
}
