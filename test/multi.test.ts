import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { PDFDocument, PDFName } from 'pdf-lib';
import { csi } from './helpers/cli.js';
import { describe, expect, it } from 'vitest';
import { describeStep, stageTimes, startProgress, wantsProgress } from '../src/cli/progress.js';
import type { Io } from '../src/cli/io.js';
import { buildReports } from '../src/pipeline.js';
import type { LaunchPrinter } from '../src/pipeline.js';
import { launchPrinter } from '../src/pdf/printer.js';
import { SEED_DATA, tempDir } from './helpers/data.js';
import { describeWithBrowser } from './helpers/environment.js';
import { pdfinfo } from './helpers/pdf.js';

/** Two copies of the seed plan in folders named `a` and `b`. */
async function twoPlans() {
  const root = await tempDir('csi-plans-');
  for (const name of ['a', 'b']) await cp(SEED_DATA, join(root, name), { recursive: true });
  return { root, a: join(root, 'a'), b: join(root, 'b') };
}

/**
 * A launcher that counts launches, loads and prints. Its printer prints a blank PDF in
 * which each numbered anchor lands on the page the report shows for it (its guess was right).
 */
function countingLauncher() {
  const counts = { launches: 0, loads: 0, prints: 0, closes: 0 };
  /**
   * A PDF as Chromium prints one, as far as csi reads it back: each anchor's named
   * destination on the page it shows, and every number drawn on page 1 as a tagged link to
   * its anchor, in a two-byte font whose codes 0x10–0x19 are the figures.
   */
  const printed = async (shown: ReadonlyMap<string, number>, occurrences: readonly string[]) => {
    const doc = await PDFDocument.create();
    const pages = Array.from({ length: Math.max(1, ...shown.values()) }, () => doc.addPage());
    const dests = doc.context.obj({});
    for (const [anchor, page] of shown) dests.set(PDFName.of(anchor), doc.context.obj([pages[page - 1]!.ref, PDFName.of('Fit')]));
    doc.catalog.set(PDFName.of('Dests'), dests);
    const figures = [...'0123456789'].map((f, i) => `<${(0x10 + i).toString(16).padStart(4, '0')}> <${f.charCodeAt(0).toString(16).padStart(4, '0')}>`).join('\n');
    const toUnicode = doc.context.stream(`begincmap\n10 beginbfchar\n${figures}\nendbfchar\nendcmap`);
    const font = doc.context.obj({ Type: 'Font', Subtype: 'Type0', ToUnicode: doc.context.register(toUnicode) });
    const drawn = occurrences.filter((a) => shown.has(a));
    const hex = (n: number) => [...String(n)].map((f) => (0x10 + Number(f)).toString(16).padStart(4, '0')).join('');
    const content = drawn.map((a, i) => `/Span <</MCID ${i}>> BDC /F1 12 Tf <${hex(shown.get(a)!)}> Tj EMC`).join('\n');
    const first = pages[0]!;
    first.node.set(PDFName.of('Resources'), doc.context.obj({ Font: { F1: doc.context.register(font) } }));
    first.node.set(PDFName.of('Contents'), doc.context.register(doc.context.stream(content)));
    const elements = drawn.map((_, i) => doc.context.register(doc.context.obj({ K: i, Pg: first.ref })));
    first.node.set(PDFName.of('Annots'), doc.context.obj(drawn.map((a, i) => doc.context.obj({ Type: 'Annot', Subtype: 'Link', Dest: PDFName.of(a), StructParent: i }))));
    const nums = drawn.flatMap((_, i) => [i, elements[i]!]);
    doc.catalog.set(PDFName.of('StructTreeRoot'), doc.context.obj({ ParentTree: doc.context.obj({ Nums: nums }) }));
    return doc.save();
  };
  const launch: LaunchPrinter = async () => {
    counts.launches++;
    return {
      async load(job) {
        counts.loads++;
        const marked = [...job.html.matchAll(/data-page-of="([^"]*)"[^>]*>(\d+)</g)];
        let shown = new Map(marked.map((m) => [m[1]!, Number(m[2])]));
        return {
          async setPageNumbers(pages) {
            shown = new Map(pages);
          },
          async print() {
            counts.prints++;
            return printed(shown, marked.map((m) => m[1]!));
          },
        };
      },
      async close() {
        counts.closes++;
      },
    };
  };
  return { counts, launch };
}

describe('several reports in one run', () => {
  it('starts the browser once for several data folders, and closes it', async () => {
    const { a, b } = await twoPlans();
    const out = await tempDir();
    const { counts, launch } = countingLauncher();
    const results = await buildReports(
      [{ dataDir: a, outDir: join(out, 'a') }, { dataDir: b, outDir: join(out, 'b') }],
      { launchPrinter: launch, chrome: process.execPath },
    );
    // Each report is loaded once and printed once, with its page numbers.
    expect(counts).toEqual({ launches: 1, loads: 2, prints: 2, closes: 1 });
    expect(results.map((r) => r.outputs.map((o) => o.format))).toEqual([['html', 'pdf'], ['html', 'pdf']]);
    expect((await readdir(join(out, 'b'))).sort()).toEqual(['report.html', 'report.pdf']);
  });

  it('never starts a browser for HTML only', async () => {
    const { a, b } = await twoPlans();
    const { counts, launch } = countingLauncher();
    const out = await tempDir();
    await buildReports([{ dataDir: a, outDir: join(out, 'a') }, { dataDir: b, outDir: join(out, 'b') }], {
      formats: ['html'],
      launchPrinter: launch,
    });
    expect(counts.launches).toBe(0);
  });

  it('writes each data folder to its own subfolder of --out, listed in one JSON object', async () => {
    const { root, a, b } = await twoPlans();
    const out = await tempDir();
    const { code, stdout } = await csi(['build-report', a, b, '--out', out, '--format', 'html', '--json'], {}, root);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    // Paths inside the working folder are shown relative to it, as for one folder.
    expect(json).toMatchObject({
      ok: true,
      dataDirs: [relative(root, a), relative(root, b)],
      outputs: [
        { dataDir: relative(root, a), format: 'html', path: join(out, 'a', 'report.html') },
        { dataDir: relative(root, b), format: 'html', path: join(out, 'b', 'report.html') },
      ],
    });
    expect(await readFile(join(out, 'a', 'report.html'), 'utf8')).toBe(await readFile(join(out, 'b', 'report.html'), 'utf8'));
  });

  it('keeps the one-folder JSON shape when given one folder', async () => {
    const out = await tempDir();
    const { stdout } = await csi(['build-report', SEED_DATA, '--out', out, '--format', 'html', '--json']);
    const json = JSON.parse(stdout);
    expect(resolve(json.dataDir)).toBe(resolve(SEED_DATA));
    expect(json.dataDirs).toBeUndefined();
    expect(json.outputs[0].path).toBe(join(out, 'report.html'));
  });

  it('refuses two folders with the same name, which would overwrite each other (exit 2)', async () => {
    const { root, a } = await twoPlans();
    const other = join(root, 'b', 'a');
    await cp(SEED_DATA, other, { recursive: true });
    const out = await tempDir();
    const { code, stderr } = await csi(['build-report', a, other, '--out', out, '--format', 'html']);
    expect(code).toBe(2);
    expect(stderr).toContain(`would both be written to ${join(out, 'a')}`);
    expect(await readdir(out)).toEqual([]);
  });

  it('writes nothing for any folder when one of them is invalid (exit 1)', async () => {
    const { root, a, b } = await twoPlans();
    await writeFile(join(b, 'glossary.yaml'), 'terms: []\n');
    const out = await tempDir();
    const { code, stderr } = await csi(['build-report', a, b, '--out', out, '--format', 'html'], {}, root);
    expect(code).toBe(1);
    expect(stderr).toContain('b/glossary.yaml:1:');
    expect(await readdir(out)).toEqual([]);
  });
});

describeWithBrowser('several reports with a real browser', () => {
  it('prints both PDFs with one Chromium', async () => {
    const { a, b } = await twoPlans();
    const out = await tempDir();
    let launches = 0;
    await buildReports([{ dataDir: a, outDir: join(out, 'a') }, { dataDir: b, outDir: join(out, 'b') }], {
      formats: ['pdf'],
      launchPrinter: (options) => {
        launches++;
        return launchPrinter(options);
      },
    });
    expect(launches).toBe(1);
    for (const name of ['a', 'b']) {
      const info = pdfinfo(join(out, name, 'report.pdf'));
      expect(info.Tagged).toBe('yes');
      expect(Number(info.Pages)).toBeGreaterThan(10);
    }
  });
});

/** A stream that looks like a terminal to ora and keeps what it was sent. */
function fakeTerminal() {
  let text = '';
  const stream = {
    isTTY: true,
    columns: 100,
    rows: 40,
    write: (s: string) => {
      text += s;
      return true;
    },
    cursorTo: () => true,
    moveCursor: () => true,
    clearLine: () => true,
    on: () => stream,
    once: () => stream,
    removeListener: () => stream,
  };
  return { stream, text: () => text };
}

describe('progress', () => {
  const io = (isTTY: boolean, env: NodeJS.ProcessEnv = {}, columns = 80): Io => ({
    stdout: { write: () => true, isTTY },
    stderr: Object.assign({ write: () => true, isTTY }, { columns }),
    env,
    cwd: '/work',
  });

  it('shows only on a terminal with a width, and never with --json or in CI', () => {
    expect(wantsProgress(io(true), false)).toBe(true);
    expect(wantsProgress(io(false), false)).toBe(false);
    expect(wantsProgress(io(true), true)).toBe(false);
    expect(wantsProgress(io(true, { CI: 'true' }), false)).toBe(false);
    expect(wantsProgress(io(true, { TERM: 'dumb' }), false)).toBe(false);
    expect(wantsProgress(io(true, {}, 0), false)).toBe(false);
  });

  it('lists each step as it finishes, with the time it took', async () => {
    const terminal = fakeTerminal();
    let clock = 0;
    const progress = await startProgress({ ...io(true), stderr: terminal.stream }, () => clock);
    progress.onProgress({ stage: 'read', dataDir: '/work/data' });
    clock += 100;
    progress.onProgress({ stage: 'check', dataDir: '/work/data' }); // the same step: validating
    clock += 20;
    progress.onProgress({ stage: 'write', dataDir: '/work/data', path: '/work/out/report.html' });
    clock += 5;
    progress.done(true);
    const plain = terminal.text().replace(/\u001b\[[0-9;?]*[a-zA-Z]/g, '');
    const ticked = [...plain.matchAll(/[✔√] ([^\n]*?\(\d+\.\d\d s\))/g)].map((m) => m[1]);
    expect(ticked).toEqual(['validate data (0.12 s)', 'write out/report.html (0.01 s)']);
  });

  it('names steps by what they do to which folder or file', () => {
    expect(describeStep({ stage: 'print', dataDir: '/work/plans/2018' }, '/work')).toBe('print plans/2018 to PDF');
    expect(describeStep({ stage: 'finish', dataDir: '/work/plans/2018', prints: 2 }, '/work')).toBe('print plans/2018 to PDF');
    expect(describeStep({ stage: 'withhold', dataDir: 'data' }, '/work')).toBe('render data as HTML');
    expect(describeStep({ stage: 'write', dataDir: 'data', path: '/elsewhere/report.pdf' }, '/work')).toBe('write /elsewhere/report.pdf');
  });

  it('with --verbose, says how long each stage took', () => {
    const lines: string[] = [];
    let clock = 0;
    const times = stageTimes((line) => lines.push(line), '/work', () => clock);
    times.onProgress({ stage: 'print', dataDir: '/work/data' });
    clock += 900;
    times.onProgress({ stage: 'finish', dataDir: '/work/data', prints: 2 });
    clock += 40;
    times.done(true);
    expect(lines).toEqual(['print data: 900 ms', 'finish data (printed 2 times): 40 ms']);
  });
});

describe('what a run loads', () => {
  /** Every module the CLI imports statically (not `import type`, not `await import()`), from src/cli/main.ts. */
  async function staticImports(): Promise<Set<string>> {
    const seen = new Set<string>();
    const visit = async (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = await readFile(file, 'utf8');
      for (const m of source.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^']+)';/gms)) {
        const spec = m[1]!;
        if (spec.startsWith('.')) await visit(join(file, '..', spec.replace(/\.js$/, '.ts')));
        else seen.add(spec);
      }
    };
    await visit(new URL('../src/cli/main.ts', import.meta.url).pathname);
    return seen;
  }

  it('never loads puppeteer, pdf-lib or ora before a PDF or a terminal needs them', async () => {
    const loaded = await staticImports();
    expect(loaded).toContain('yaml');
    expect([...loaded].filter((m) => /^(puppeteer-core|pdf-lib|ora)$/.test(m))).toEqual([]);
  });
});
