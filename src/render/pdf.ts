import puppeteer from 'puppeteer-core';
import type { Browser, Page } from 'puppeteer-core';
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
  /** Called once the page is loaded and Chromium is printing: node is idle until the PDF arrives. */
  whilePrinting?: () => void;
}

/** One browser, and one page, for the whole run. */
export interface PdfPrinter {
  print(job: PrintJob): Promise<Uint8Array>;
  close(): Promise<void>;
}

export interface PrinterOptions {
  executablePath: string;
  /**
   * Give up on a launch after this long, and on a print after this long plus
   * `timeoutPerMiB` for every MiB of HTML. Defaults 60 s and 60 s.
   */
  timeoutMs?: number;
  timeoutPerMiB?: number;
}

/**
 * How long a print may take. A thousand-page report takes Chromium tens of seconds
 * to lay out and tag on a busy machine, so the limit grows with the document; it is
 * there to catch a hung browser, not to hurry a working one.
 */
export function printTimeoutMs(htmlBytes: number, baseMs = 60_000, perMiBMs = 60_000): number {
  return Math.round(baseMs + (perMiBMs * htmlBytes) / (1024 * 1024));
}

function environmentError(message: string, cause: unknown, hint?: string): CsiError {
  return new CsiError(message, { code: 'RENDER_FAILED', kind: 'environment', cause, ...(hint ? { hint } : {}) });
}

/**
 * Starts the browser. The only place csi talks to puppeteer; the pipeline imports this
 * module only when it prints, so nothing else pays for loading puppeteer.
 */
export async function launchPrinter(options: PrinterOptions): Promise<PdfPrinter> {
  const launchTimeout = options.timeoutMs ?? 60_000;
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath: options.executablePath,
      headless: 'shell',
      args: chromiumArgs(process.getuid?.() === 0),
      timeout: launchTimeout,
      // Off: each step below has its own limit, and a big print outlasts any fixed one.
      protocolTimeout: 0,
    });
  } catch (cause) {
    throw environmentError(`could not start the browser at ${options.executablePath}`, cause,
      'run with --debug for the browser\'s own message; check the path with --chrome');
  }

  // One page for every print of the run: the browser opens with one, and a new one costs a round trip.
  let sealed: Promise<Page> | undefined;
  const sealedPage = () =>
    (sealed ??= (async () => {
      const page = (await browser.pages())[0] ?? (await browser.newPage());
      // The page is sealed: no scripts, and nothing but data: URLs may load.
      await page.setJavaScriptEnabled(false);
      await page.setRequestInterception(true);
      page.on('request', (request) => {
        if (request.url().startsWith('data:')) void request.continue();
        else void request.abort('blockedbyclient');
      });
      return page;
    })());

  return {
    async print(job) {
      const timeout = printTimeoutMs(Buffer.byteLength(job.html), options.timeoutMs, options.timeoutPerMiB);
      const printing = (async () => {
        const page = await sealedPage();
        await page.setContent(job.html, { waitUntil: 'load', timeout });
        const pdf = page.pdf({
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
        job.whilePrinting?.();
        return pdf;
      })();
      printing.catch(() => undefined); // past the deadline, its failure is no longer news
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no PDF after ${Math.round(timeout / 1000)} s`)), timeout);
      });
      try {
        return await Promise.race([printing, deadline]);
      } catch (cause) {
        throw environmentError('the browser failed to print the report', cause,
          cause instanceof Error && /timed? ?out|no PDF after/i.test(cause.message)
            ? `the limit grows with the report (${Math.round(timeout / 1000)} s for this one); is the machine very busy?`
            : undefined);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await browser.close().catch(() => undefined);
    },
  };
}
