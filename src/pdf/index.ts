import type { PDFDocument } from 'pdf-lib';
import { CsiError } from '../errors.js';
import { trace } from '../trace.js';
import { numberedAnchors, withPageNumbers } from '../text/page-number.js';
import { findBrowser } from './browser.js';
import { pageNumberProblems } from './check-numbers.js';
import { finishPdf, openPdf } from './metadata.js';
import type { PdfMetadata } from './metadata.js';
import { destinationPages } from './pages.js';
import { guessPages, printWithPageNumbers } from './paginate.js';
import type { PageNumbers } from './paginate.js';
import { launchPrinter } from './printer.js';
import type { PdfPrinter, PrinterOptions } from './printer.js';
import { renumberPrinted } from './renumber.js';

// The PDF stage, the one door into src/pdf/ (only the pipeline comes in, and only when a
// PDF is wanted: puppeteer and pdf-lib are large): a printer that owns the browser
// (printer.ts), printing with the page numbers set right and read back (paginate.ts,
// renumber.ts, check-numbers.ts), and finishing what Chromium leaves out (metadata.ts).

export type { OutlineEntry, PdfMetadata } from './metadata.js';
export type { PdfPrinter, PrinterOptions } from './printer.js';

/** Launches the browser that prints PDFs; one per run. */
export type LaunchPrinter = (options: PrinterOptions) => Promise<PdfPrinter>;

/** Which browser to print with, and how long to wait for it. */
export interface PrinterSettings {
  /** Browser to print with; otherwise CSI_CHROME, then the usual places. */
  chrome?: string | undefined;
  /** Environment to read CSI_CHROME from. */
  env?: NodeJS.ProcessEnv | undefined;
  /** Give up on the browser after this long (default: printer.ts's). */
  renderTimeoutMs?: number | undefined;
  /** Launches the browser. Default: the printer in printer.ts (tests count launches with their own). */
  launchPrinter?: LaunchPrinter | undefined;
}

/** A printer being launched: `ready` waits for it, `close` ends it, at once if it is still starting. */
export interface StartedPrinter {
  /** The launched printer. With no browser at all, `beforeNoBrowser` runs before the error is thrown. */
  ready(beforeNoBrowser: () => Promise<void>): Promise<PdfPrinter>;
  close(): Promise<void>;
}

/**
 * The printer, launched as the run begins so that the browser boots while the data is
 * read and rendered. A browser that cannot be found or started is reported by `ready`.
 */
export function startPrinter(settings: PrinterSettings): StartedPrinter {
  const unwanted = new AbortController();
  const launching = (async () => {
    const executablePath = findBrowser(settings.chrome, settings.env ?? process.env);
    const launch = settings.launchPrinter ?? launchPrinter;
    return launch({ executablePath, signal: unwanted.signal, ...(settings.renderTimeoutMs ? { timeoutMs: settings.renderTimeoutMs } : {}) });
  })();
  launching.catch(() => undefined); // reported by ready()
  return {
    async ready(beforeNoBrowser) {
      try {
        const printer = await launching;
        trace('browser ready');
        return printer;
      } catch (error) {
        if (error instanceof CsiError && error.code === 'NO_BROWSER') await beforeNoBrowser();
        throw error;
      }
    },
    async close() {
      unwanted.abort();
      await (await launching.catch(() => undefined))?.close();
    },
  };
}

/** A report to print: its HTML with every page number marked but not set (text/page-number.ts). */
export interface ReportToPrint {
  html: string;
  /** The page header and footer, as Chromium's templates. */
  header: string;
  footer: string;
  /** What the finished PDF says about itself: title, bookmarks, dates, provenance. */
  metadata: PdfMetadata;
}

/** `printReport`'s type, for the pipeline, which loads this module only when a PDF is wanted. */
export type PrintReport = typeof printReport;

/** A finished PDF, and how many times it was printed to get its page numbers right. */
export interface PrintedPdf {
  bytes: Uint8Array;
  pages: number;
  prints: number;
}

/**
 * print → finish, for one report. It is printed once with a guess at each page number,
 * which is then set right in the PDF (or, rarely, printed again: paginate.ts), then
 * finished with pdf-lib (metadata.ts). `onFinishing` is told as finishing starts.
 */
export async function printReport(printer: PdfPrinter, report: ReportToPrint, onFinishing?: (prints: number) => void): Promise<PrintedPdf> {
  const counts = numberedAnchors(report.html);
  const numbered = new Set(counts.keys());
  const guess = guessPages(report.html, numbered);
  const html = withPageNumbers(report.html, guess);
  const loaded = await printer.load({ html, headerTemplate: report.header, footerTemplate: report.footer });
  const read = {
    printed: async (bytes: Uint8Array) => {
      const pdf = await openPdf(bytes);
      trace('printed PDF read');
      return { pdf, pages: destinationPages(pdf) };
    },
    renumber: (pdf: PDFDocument, shown: PageNumbers, landed: PageNumbers) => {
      const done = renumberPrinted(pdf, shown, landed, counts);
      trace(done ? 'page numbers set in the PDF' : 'page numbers cannot be set in the PDF: printing again');
      return done;
    },
    check: (pdf: PDFDocument) => {
      const problems = pageNumberProblems(pdf, report.metadata.outline, counts);
      trace('page numbers read back');
      return problems;
    },
  };
  const { pdf: printed, prints } = await printWithPageNumbers(loaded, read, numbered, guess);
  onFinishing?.(prints);
  const finished = await finishPdf(printed, report.metadata);
  trace('PDF finished and saved');
  return { ...finished, prints };
}
