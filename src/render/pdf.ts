import type { Readable, Writable } from 'node:stream';
import puppeteer from 'puppeteer-core';
import type { Browser, ConnectionTransport, Page } from 'puppeteer-core';
import { CsiError } from '../errors.js';
import { trace } from '../trace.js';
import { startChromium } from './chromium.js';
import type { RunningChromium } from './chromium.js';

export { chromiumArgs, NETWORK_OFF_ARGS } from './chromium.js';

/**
 * DevTools messages over the browser's pipe: each message is JSON ended by a NUL
 * byte. (puppeteer has one too, but not as public API.)
 */
class PipeTransport implements ConnectionTransport {
  onmessage?: (message: string) => void;
  onclose?: () => void;
  #pending: Buffer[] = [];
  #closed = false;

  constructor(private readonly input: Writable, output: Readable) {
    output.on('data', (chunk: Buffer) => this.#receive(chunk));
    output.on('close', () => this.#close());
    output.on('error', () => this.#close());
  }

  send(message: string): void {
    if (this.#closed) return;
    this.input.write(message);
    this.input.write('\0');
  }

  #receive(chunk: Buffer): void {
    let start = 0;
    for (let end = chunk.indexOf(0); end !== -1; end = chunk.indexOf(0, start)) {
      this.#pending.push(chunk.subarray(start, end));
      const message = Buffer.concat(this.#pending).toString('utf8');
      this.#pending = [];
      start = end + 1;
      this.onmessage?.(message);
    }
    if (start < chunk.length) this.#pending.push(chunk.subarray(start));
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.onclose?.();
  }

  close(): void {
    this.#close();
  }
}

export interface PrintJob {
  html: string;
  headerTemplate: string;
  footerTemplate: string;
  /** Called once the page is loaded and Chromium is printing: node is idle until the PDF arrives. */
  whilePrinting?: () => void;
}

/** One browser for the whole run; each print opens and closes a page. */
export interface PdfPrinter {
  print(job: PrintJob): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** How long a launch or one render may take before csi gives up, unless told otherwise. */
export const DEFAULT_RENDER_TIMEOUT_MS = 60_000;

export interface PrinterOptions {
  executablePath: string;
  /**
   * Give up on a launch after this long, and on a print after this long plus
   * `timeoutPerMiB` for every MiB of HTML. Defaults 60 s, and 60 s per MiB unless
   * `timeoutMs` was given, when the limit is exactly that.
   */
  timeoutMs?: number;
  timeoutPerMiB?: number;
  /** The browser, if it was started already (the CLI starts it before loading anything else). */
  started?: RunningChromium;
}

/**
 * How long a print may take. A thousand-page report takes Chromium tens of seconds
 * to lay out and tag on a busy machine, so the limit grows with the document; it is
 * there to catch a hung browser, not to hurry a working one.
 */
export function printTimeoutMs(htmlBytes: number, baseMs = DEFAULT_RENDER_TIMEOUT_MS, perMiBMs = 60_000): number {
  return Math.round(baseMs + (perMiBMs * htmlBytes) / (1024 * 1024));
}

function environmentError(message: string, cause: unknown, hint?: string): CsiError {
  return new CsiError(message, { code: 'RENDER_FAILED', kind: 'environment', cause, ...(hint ? { hint } : {}) });
}

/**
 * Seals a page before any data reaches it: no JavaScript, and every request
 * aborted unless it is a `data:` URL for an image, font or stylesheet. The HTML
 * arrives by setContent, not by a request, so nothing on the disk or the network
 * can be loaded. A navigation (a meta refresh, a frame) is cancelled outright, so
 * the page stays the report rather than becoming an error page.
 */
async function sealPage(page: Page): Promise<void> {
  await page.setJavaScriptEnabled(false);
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const navigation = request.isNavigationRequest();
    if (!navigation && request.url().startsWith('data:')) void request.continue().catch(() => undefined);
    else void request.abort(navigation ? 'aborted' : 'blockedbyclient').catch(() => undefined);
  });
}

class Deadline extends Error {}
class BrowserGone extends Error {}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * Runs one task against the browser with a deadline. A browser that crashes, is
 * killed or stops answering becomes an environment error (exit 3), never a hung
 * run: on the deadline the browser process is killed.
 */
async function guarded<T>(browser: Browser, chromium: RunningChromium, timeoutMs: number, task: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onGone: (() => void) | undefined;
  const work = task();
  work.catch(() => undefined); // it may fail after the race is decided
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Deadline()), timeoutMs);
  });
  const gone = new Promise<never>((_, reject) => {
    onGone = () => reject(new BrowserGone());
    if (!browser.connected) onGone();
    else browser.once('disconnected', onGone);
  });
  try {
    return await Promise.race([work, deadline, gone]);
  } catch (cause) {
    if (cause instanceof Deadline) {
      chromium.kill();
      throw environmentError(`the browser did not finish printing the report within ${seconds(timeoutMs)}`, cause,
        'set CSI_RENDER_TIMEOUT (seconds) higher for a very large report; run with --debug for details');
    }
    if (cause instanceof BrowserGone || !browser.connected) {
      throw environmentError('the browser stopped while printing the report (it crashed or was killed)', cause,
        'run again; with --debug for the browser\'s own message');
    }
    throw environmentError('the browser failed to print the report', cause);
  } finally {
    clearTimeout(timer);
    if (onGone) browser.off('disconnected', onGone);
  }
}

/**
 * Starts the browser. The only place csi talks to puppeteer; the pipeline imports this
 * module only when it prints, so nothing else pays for loading puppeteer.
 */
export async function launchPrinter(options: PrinterOptions): Promise<PdfPrinter> {
  const timeout = options.timeoutMs ?? DEFAULT_RENDER_TIMEOUT_MS;
  const chromium = options.started ?? startChromium(options.executablePath);
  let browser: Browser;
  let timer: NodeJS.Timeout | undefined;
  try {
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the browser did not start within ${seconds(timeout)}`)), timeout);
    });
    const gone = chromium.exited.then(() => {
      throw chromium.failure() ?? new Error(`the browser exited as it started${chromium.stderr() ? `: ${chromium.stderr().trim()}` : ''}`);
    });
    gone.catch(() => undefined);
    browser = await Promise.race([
      puppeteer.connect({
        transport: new PipeTransport(chromium.input, chromium.output),
        // Off: every print has its own deadline (guarded), and a big print outlasts any fixed one.
        protocolTimeout: 0,
      }),
      late,
      gone,
    ]);
  } catch (cause) {
    await chromium.stop();
    throw environmentError(`could not start the browser at ${options.executablePath}`, cause,
      'run with --debug for the browser\'s own message; check the path with --chrome');
  } finally {
    clearTimeout(timer);
  }
  trace('browser connected');
  // One page for every print of the run (the browser opens with one; a new one costs a round trip),
  // sealed before any data reaches it.
  let sealed: Promise<Page> | undefined;
  const sealedPage = () =>
    (sealed ??= (async () => {
      const page = (await browser.pages())[0] ?? (await browser.newPage());
      await sealPage(page);
      return page;
    })());
  // Sealed now, while node renders the report; a failure surfaces at the first print.
  sealedPage().catch(() => undefined);

  return {
    print(job) {
      // A limit the user set (CSI_RENDER_TIMEOUT) is the limit; the default grows with the report.
      const perMiB = options.timeoutPerMiB ?? (options.timeoutMs === undefined ? 60_000 : 0);
      const limit = printTimeoutMs(Buffer.byteLength(job.html), timeout, perMiB);
      return guarded(browser, chromium, limit, async () => {
        const page = await sealedPage();
        await page.setContent(job.html, { waitUntil: 'load', timeout: limit });
        trace('page loaded; printing');
        const pdf = page.pdf({
          format: 'A4',
          printBackground: true,
          tagged: true,
          outline: true,
          displayHeaderFooter: true,
          headerTemplate: job.headerTemplate,
          footerTemplate: job.footerTemplate,
          margin: { top: '24mm', bottom: '20mm', left: '18mm', right: '18mm' },
          timeout: limit,
        });
        job.whilePrinting?.();
        const printed = await pdf;
        trace(`printed ${printed.length} bytes`);
        return printed;
      });
    },
    async close() {
      // Nothing of the browser is kept (its profile is a temporary folder), so it is
      // ended at once rather than asked to shut down.
      await browser.disconnect().catch(() => undefined);
      await chromium.stop();
    },
  };
}
