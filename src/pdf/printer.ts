import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import type { Browser, CDPSession, Page } from 'puppeteer-core';
import { onExit } from 'signal-exit';
import { CsiError } from '../errors.js';
import { isRunning } from '../output.js';
import { trace } from '../trace.js';
import { PAGE_OF, pageNumberHtml } from '../text/page-number.js';

/**
 * The printer: the one module that owns the browser, from its launch to its end. csi
 * prints with puppeteer's own launch (a pipe, never a port), in a profile folder of its
 * own that goes with the browser. The browser never outlives csi: when csi exits, or is
 * stopped by a signal (Ctrl-C, SIGTERM, SIGHUP), the browser is killed and its profile
 * removed, and signal-exit then lets the signal end csi as it would have.
 */

/**
 * The browser's network is closed below puppeteer's request interception too:
 * every host name (IP addresses and localhost included) resolves to nothing, and
 * anything that still tries to connect is sent to a proxy that cannot be reached.
 */
export const NETWORK_OFF_ARGS = [
  '--host-resolver-rules=MAP * ~NOTFOUND',
  '--proxy-server=http://0.0.0.0:1',
  '--proxy-bypass-list=<-loopback>',
  '--no-pings',
];

/**
 * Flags for a closed network and for running as root in CI containers, on top of
 * puppeteer's own. `sealed` (the default, and always so for printing) also cuts the
 * browser off from every host; tests that drive a browser against a local server pass `false`.
 */
export function chromiumArgs(isRoot: boolean, sealed = true): string[] {
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
    ...(sealed ? NETWORK_OFF_ARGS : []),
  ];
}

export interface PrintJob {
  html: string;
  headerTemplate: string;
  footerTemplate: string;
}

/**
 * A report loaded in the print page: printed, and should a page number it shows be wrong
 * in a way the PDF cannot mend, given the right ones and printed again (pdf/paginate.ts).
 * It is loaded once: the page numbers are set in the loaded page.
 */
export interface LoadedReport {
  /** Shows these page numbers where the report marks them; nothing for an anchor not given. */
  setPageNumbers(pages: ReadonlyMap<string, number>): Promise<void>;
  /** Prints it as csi's PDF: A4, tagged, with bookmarks and the running header and footer. */
  print(): Promise<Uint8Array>;
}

/** One browser for the whole run; every report is loaded into the same sealed page, one at a time. */
export interface PdfPrinter {
  load(job: PrintJob): Promise<LoadedReport>;
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
  /** Give up on the launch after this long instead (tests: a print deadline shorter than a launch on a busy machine). */
  launchTimeoutMs?: number;
  /** Aborted when the printer is no longer wanted, even while the browser is still starting (the data was invalid). */
  signal?: AbortSignal;
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
 * run: on the deadline the browser is killed.
 */
async function guarded<T>(browser: Browser, kill: () => void, timeoutMs: number, task: () => Promise<T>): Promise<T> {
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
      kill();
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

/** Resolves once the process has ended. */
function ended(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** A launched browser: `kill` ends it at once (a deadline passed); `end` also waits for it and removes its profile. */
interface RunningBrowser {
  browser: Browser;
  kill(): void;
  end(): Promise<void>;
}

/**
 * Launches the browser headless, through a pipe, in a temporary profile of csi's own. It
 * never outlives csi: on exit or a signal it is killed and its profile removed (signal-exit
 * then lets the signal end csi as it would have).
 */
async function launchBrowser(executablePath: string, timeout: number, unwanted?: AbortSignal): Promise<RunningBrowser> {
  // No longer wanted before it started (the data was invalid): no browser, no profile.
  if (unwanted?.aborted) throw environmentError('the browser was not started: the run had already failed', unwanted.reason);
  removeStaleProfiles();
  // Named for this process, so that a later run can tell when it is gone.
  const profile = mkdtempSync(join(tmpdir(), `csi-chromium-${process.pid}-`));
  const removeProfile = () => rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
  // Aborting kills the browser and every process it started (puppeteer kills its process group).
  const killer = new AbortController();
  const kill = () => killer.abort();
  unwanted?.addEventListener('abort', kill);
  const forgetExit = onExit(() => {
    kill();
    removeProfile();
  });
  try {
    const launched = puppeteer.launch({
      executablePath,
      headless: 'shell',
      pipe: true,
      userDataDir: profile,
      args: chromiumArgs(process.getuid?.() === 0),
      timeout,
      // Off: every print has its own deadline (guarded), and a big print outlasts any fixed one.
      protocolTimeout: 0,
      signal: killer.signal,
      // Signals are handled above: puppeteer's own handlers would exit csi, or leave it running.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    const browser = await startedWithin(launched, timeout, killer.signal);
    const child = browser.process();
    // A pipe to a browser that is killed may fail as it closes (ECONNRESET), after puppeteer
    // has let go of it: nothing is read from it by then, so that is no error of csi's.
    for (const stream of child?.stdio ?? []) stream?.on('error', () => undefined);
    const exited = ended(child);
    const end = async () => {
      // Nothing of the browser is kept, so it is ended at once rather than asked to shut down.
      kill();
      await browser.disconnect().catch(() => undefined);
      await exited;
      forgetExit();
      removeProfile();
    };
    return { browser, kill, end };
  } catch (cause) {
    kill();
    forgetExit();
    removeProfile();
    if (cause instanceof Deadline) {
      throw environmentError(`the browser at ${executablePath} did not start within ${seconds(timeout)}`, cause,
        'set CSI_RENDER_TIMEOUT (seconds) higher on a slow machine; run with --debug for details');
    }
    throw environmentError(`could not start the browser at ${executablePath}`, cause,
      'run with --debug for the browser\'s own message; check the path with --chrome');
  }
}

/**
 * puppeteer's launch, given up on after `timeoutMs` or as soon as `killed` aborts. Its own
 * timeout covers only part of a start, and a browser killed while puppeteer attaches to
 * its first targets leaves the launch unsettled for good (puppeteer-core 24): awaited
 * alone, it would hold csi until node ran out of work and exited 0 with nothing said.
 */
async function startedWithin(launched: Promise<Browser>, timeoutMs: number, killed: AbortSignal): Promise<Browser> {
  let gaveUp = false;
  // A browser that answers after csi gave up on it is let go of; it was killed already.
  launched.then((late) => void (gaveUp && late.disconnect().catch(() => undefined)), () => undefined);
  let timer: NodeJS.Timeout | undefined;
  let onKilled: (() => void) | undefined;
  const given = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Deadline()), timeoutMs);
    onKilled = () => reject(new Error('the browser was stopped while it started'));
    if (killed.aborted) onKilled();
    else killed.addEventListener('abort', onKilled);
  });
  try {
    return await Promise.race([launched, given]);
  } catch (error) {
    gaveUp = true;
    throw error;
  } finally {
    clearTimeout(timer);
    if (onKilled) killed.removeEventListener('abort', onKilled);
  }
}


/**
 * Removes the profiles of earlier runs that were killed outright (SIGKILL: no handler
 * runs), once the run that made each is gone. Only csi's own, named with their pid.
 */
function removeStaleProfiles(): void {
  let names: string[];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const name of names) {
    const pid = /^csi-chromium-(\d+)-[^/]+$/.exec(name)?.[1];
    if (pid !== undefined && Number(pid) !== process.pid && !isRunning(Number(pid))) {
      try {
        rmSync(join(tmpdir(), name), { recursive: true, force: true });
      } catch {
        // Another run may be removing it too; what is left is tried again next time.
      }
    }
  }
}

/** The print page, and a DevTools session of its own for what puppeteer has no call for. */
interface PrintPage {
  page: Page;
  session: CDPSession;
}

/**
 * One page for every print of the run (the browser opens with one; a new one costs a
 * round trip), sealed before any data reaches it. Sealing starts at once, while node
 * renders the report; a failure surfaces at the first print.
 */
function sealedPage(browser: Browser): () => Promise<PrintPage> {
  const sealed = (async () => {
    const page = (await browser.pages())[0] ?? (await browser.newPage());
    await sealPage(page);
    // Laid out for print from the start, at the width of the printed text: each layout
    // for a print then has less to change (a 100× report lays out and prints about a
    // fifth faster). The PDF is the same.
    await page.emulateMediaType('print');
    await page.setViewport(PRINTED_AREA);
    return { page, session: await page.createCDPSession() };
  })();
  sealed.catch(() => undefined);
  return () => sealed;
}

const MARGINS_MM = { top: 24, bottom: 20, left: 18, right: 18 };
const PRINT_OPTIONS = {
  format: 'A4',
  margin: { top: `${MARGINS_MM.top}mm`, bottom: `${MARGINS_MM.bottom}mm`, left: `${MARGINS_MM.left}mm`, right: `${MARGINS_MM.right}mm` },
} as const;

/** The printed area of an A4 page (210 × 297 mm) inside those margins, in CSS pixels. */
const PRINTED_AREA = {
  width: Math.round(((210 - MARGINS_MM.left - MARGINS_MM.right) * 96) / 25.4),
  height: Math.round(((297 - MARGINS_MM.top - MARGINS_MM.bottom) * 96) / 25.4),
};

/** Sets the page numbers shown in the loaded page: each marked element is made anew with its number. */
async function setPageNumbers({ session }: PrintPage, pages: ReadonlyMap<string, number>): Promise<void> {
  await session.send('DOM.enable');
  const { root } = await session.send('DOM.getDocument', { depth: 0 });
  const { nodeIds } = await session.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: `[${PAGE_OF}]` });
  // Sent together: DevTools answers them in order, without a round trip each.
  const anchors = await Promise.all(
    nodeIds.map(async (nodeId) => {
      const { attributes } = await session.send('DOM.getAttributes', { nodeId });
      for (let i = 0; i < attributes.length; i += 2) if (attributes[i] === PAGE_OF) return attributes[i + 1]!;
      return '';
    }),
  );
  await Promise.all(nodeIds.map((nodeId, i) => session.send('DOM.setOuterHTML', { nodeId, outerHTML: pageNumberHtml(anchors[i]!, pages.get(anchors[i]!)) })));
  trace(`${nodeIds.length} page numbers set`);
}

/** Prints the loaded page as csi's PDF: A4, tagged, with bookmarks, header and footer. */
async function printPage({ page }: PrintPage, job: PrintJob, limit: number): Promise<Uint8Array> {
  const pdf = page.pdf({
    ...PRINT_OPTIONS,
    printBackground: true,
    tagged: true,
    outline: true,
    displayHeaderFooter: true,
    headerTemplate: job.headerTemplate,
    footerTemplate: job.footerTemplate,
    timeout: limit,
  });
  const printed = await pdf;
  trace(`printed ${printed.length} bytes`);
  return printed;
}

/**
 * Launches the browser and returns the printer; `close()` ends the browser. The pipeline
 * calls this as a run starts, so the browser boots while the data is read, and loads this
 * module only then, so that nothing else pays for loading puppeteer.
 */
export async function launchPrinter(options: PrinterOptions): Promise<PdfPrinter> {
  const timeout = options.timeoutMs ?? DEFAULT_RENDER_TIMEOUT_MS;
  // A limit the user set (CSI_RENDER_TIMEOUT) is the limit; the default grows with the report.
  const perMiB = options.timeoutPerMiB ?? (options.timeoutMs === undefined ? 60_000 : 0);
  const { browser, kill, end } = await launchBrowser(options.executablePath, options.launchTimeoutMs ?? timeout, options.signal);
  trace('browser connected');
  const sealed = sealedPage(browser);
  return {
    async load(job) {
      const limit = printTimeoutMs(Buffer.byteLength(job.html), timeout, perMiB);
      const run = <T>(task: (page: PrintPage) => Promise<T>) => guarded(browser, kill, limit, async () => task(await sealed()));
      await run(async ({ page }) => {
        await page.setContent(job.html, { waitUntil: 'load', timeout: limit });
        trace('page loaded');
      });
      return {
        setPageNumbers: (pages) => run((page) => setPageNumbers(page, pages)),
        print: () => run((page) => printPage(page, job, limit)),
      };
    },
    async close() {
      await end();
      trace('browser stopped');
    },
  };
}
