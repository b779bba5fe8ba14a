#!/usr/bin/env node
// @ts-check
/**
 * `npm run bench`: how long csi takes, against the floors it cannot beat (node's own
 * start-up, the browser's own printing), at 1×, 10× and 100× the seed plan.
 *
 *   npm run bench                  # builds, then measures everything (a few minutes)
 *   npm run bench -- --runs 9      # more runs per case (default 5; 3 for the slow ones)
 *   npm run bench -- --quick       # 1× and 10× only, 3 runs, no 100× PDF
 *   npm run bench -- --json        # the results as JSON instead of a table
 *   npm run bench -- --only 'diff|node'   # only the cases whose id matches
 *
 * Each case runs as a separate process, as a user would run it. The runs are taken in
 * rounds, one of every case per round, so a burst of load on a shared machine hits all
 * cases alike, and the ratios compare runs taken side by side. Times are medians.
 * Peak RSS comes from /usr/bin/time (GNU time) when it is installed: it is the largest
 * single process in the run's tree (node, or the browser's biggest process).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { generate, writePlan } from './gen.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CSI = join(ROOT, 'bin', 'csi.js');
const NODE = process.execPath;
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string' },
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    only: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (flags.help) {
  process.stdout.write('usage: npm run bench -- [--runs N] [--quick] [--json] [--keep] [--only REGEX]\n');
  process.exit(0);
}
const RUNS = Number(flags.runs ?? (flags.quick ? 3 : 5));
const SLOW_RUNS = Math.max(1, Math.min(RUNS, 3));
const log = (text) => process.stderr.write(`${text}\n`);

/**
 * @typedef {{ seconds: number, rssKiB?: number, code: number | null }} Run
 * @typedef {{ id: string, label: string, command: string, args: string[], runs: number, env?: Record<string, string>, ok?: number[], note?: string, unavailable?: string, results: Run[] }} Case
 */

/** Runs a command once, timing it from spawn to exit. */
async function runOnce(command, args, rssFile, env = {}) {
  const argv = GNU_TIME ? [GNU_TIME, '-f', '%M', '-o', rssFile, command, ...args] : [command, ...args];
  const started = process.hrtime.bigint();
  const { code, stderr } = await new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...env } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  let rssKiB;
  if (GNU_TIME) {
    const text = (await readFile(rssFile, 'utf8').catch(() => '')).trim().split('\n').at(-1);
    rssKiB = Number(text) || undefined;
  }
  return { seconds, rssKiB, code, stderr };
}

/**
 * Whether a csi command exists in this build: `csi --help` lists it. (`csi NAME --help`
 * exits 0 for an unknown NAME too: commander shows the program's help.)
 */
async function hasCommand(name) {
  const help = await commandOutput(NODE, [CSI, '--help']);
  const commands = help.slice(help.indexOf('Commands:'));
  return new RegExp(`^\\s+${name}\\b`, 'm').test(commands);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function findChromium() {
  const { findBrowser } = await import(pathToFileURL(join(ROOT, 'dist', 'pdf', 'browser.js')).href);
  try {
    return findBrowser(undefined);
  } catch {
    return undefined;
  }
}

async function commandOutput(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', () => resolve(''));
    child.on('close', () => resolve(out.trim()));
  });
}

async function machine(chromium) {
  const cpu = cpus();
  return {
    cpu: `${cpu[0]?.model ?? 'unknown'} × ${cpu.length}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
    os: (await commandOutput('uname', ['-srm'])) || process.platform,
    node: process.version,
    browser: chromium ? `${(await commandOutput(chromium, ['--version'])) || 'unknown'} (${chromium})` : 'none found',
    load: loadavg().map((l) => l.toFixed(2)).join(' '),
  };
}

async function main() {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('run `npm run build` first (npm run bench does)');
  const work = await mkdtemp(join(tmpdir(), 'csi-bench-'));
  const chromium = await findChromium();
  const isRoot = process.getuid?.() === 0;
  const before = await machine(chromium);

  log(`generating plans in ${work} …`);
  const scales = flags.quick ? [1, 10] : [1, 10, 100];
  const plan = (scale) => join(work, `plan-${scale}x`);
  for (const scale of scales) await writePlan(plan(scale), await generate({ scale }));
  const biggest = scales.at(-1);
  await writePlan(join(work, `plan-${biggest}x-revised`), await generate({ scale: biggest, revise: true }));
  const multi = ['a', 'b', 'c'].map((n) => join(work, 'multi', n));
  for (const dir of multi) await writePlan(dir, await generate({ scale: 1 }));

  const [hasValidate, hasDiff] = [await hasCommand('validate'), await hasCommand('diff')];
  const out = (name) => join(work, 'out', name);

  /** @type {Case[]} */
  const cases = [];
  const add = (c) => cases.push({ runs: RUNS, results: [], ...c });
  add({ id: 'node', label: 'node -e 0', command: NODE, args: ['-e', '0'] });
  add({ id: 'version', label: 'csi --version', command: NODE, args: [CSI, '--version'] });
  for (const scale of scales) {
    add({
      id: `validate-${scale}`,
      label: `csi validate, ${scale}×`,
      command: NODE,
      args: [CSI, 'validate', plan(scale)],
      runs: scale === 100 ? SLOW_RUNS : RUNS,
      ...(hasValidate ? {} : { unavailable: 'n/a (command not available)' }),
    });
  }
  const noBrowser = chromium ? {} : { unavailable: 'n/a (no browser found)' };
  /** `csi build-report PLAN --format FORMAT`, as case `FORMAT-SCALE`. */
  const build = (format, scale, runs) =>
    add({
      id: `${format}-${scale}`,
      label: `csi build-report --format ${format}, ${scale}×`,
      command: NODE,
      args: [CSI, 'build-report', plan(scale), '--format', format, '--out', out(`${format}-${scale}`)],
      runs,
      ...(format === 'pdf' ? noBrowser : {}),
    });
  for (const scale of scales) build('html', scale, scale === 100 ? SLOW_RUNS : RUNS);
  // Every PDF build is a first build: csi keeps nothing between runs.
  const pdfScales = flags.quick ? [1, 10] : [1, 10, 100];
  for (const scale of pdfScales) {
    const runs = scale === 1 ? RUNS : SLOW_RUNS;
    build('pdf', scale, runs);
    // The floor: the browser alone printing the very HTML csi wrote (with bookmarks, like csi).
    add({
      id: `bare-${scale}`,
      label: `bare headless print of the same HTML, ${scale}×`,
      command: chromium ?? 'chromium',
      args: [
        '--headless',
        ...(isRoot ? ['--no-sandbox'] : []),
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--no-pdf-header-footer',
        '--generate-pdf-document-outline',
        `--print-to-pdf=${join(out(`bare-${scale}`), 'bare.pdf')}`,
        pathToFileURL(join(out(`html-${scale}`), 'report.html')).href,
      ],
      runs,
      ...noBrowser,
    });
  }
  add({
    id: `diff-${biggest}`,
    label: `csi diff of two ${biggest}× plans`,
    command: NODE,
    args: [CSI, 'diff', plan(biggest), join(work, `plan-${biggest}x-revised`), '--format', 'json'],
    runs: SLOW_RUNS,
    ok: [0, 1], // a diff may exit 1 when the plans differ
    ...(hasDiff ? {} : { unavailable: 'n/a (command not available)' }),
  });
  add({
    id: 'multi-one',
    label: '3 reports (1×, PDF) in one run',
    command: NODE,
    args: [CSI, 'build-report', ...multi, '--format', 'pdf', '--out', out('multi-one')],
    runs: SLOW_RUNS,
    ...noBrowser,
  });
  add({
    id: 'multi-three',
    label: '3 reports (1×, PDF) in 3 runs',
    command: '/bin/sh',
    args: ['-c', multi.map((d, i) => `"${NODE}" "${CSI}" build-report "${d}" --format pdf --out "${out(`multi-three-${i}`)}" || exit 1`).join('; ')],
    runs: SLOW_RUNS,
    ...noBrowser,
  });

  // The bare print reads csi's HTML: build it once before the rounds start.
  for (const scale of pdfScales) {
    await mkdir(out(`bare-${scale}`), { recursive: true });
    const html = cases.find((c) => c.id === `html-${scale}`);
    if (html) await runOnce(html.command, html.args, join(work, 'rss'));
  }

  if (flags.only) {
    const only = new RegExp(flags.only);
    for (const c of cases) if (!only.test(c.id)) c.unavailable = 'not measured (--only)';
  }
  const live = cases.filter((c) => !c.unavailable);
  // One warm-up run of each quick case (file cache, the OS's page cache for node and the
  // browser), and of the 10× PDF and its bare print.
  const warm = (c) => c.runs === RUNS || /^(pdf-10|bare-10|multi-.*)$/.test(c.id);
  for (const c of live.filter(warm)) await runOnce(c.command, c.args, join(work, 'rss'), c.env);
  const rounds = Math.max(...live.map((c) => c.runs));
  for (let round = 0; round < rounds; round++) {
    log(`round ${round + 1} of ${rounds} …`);
    for (const c of live.filter((c) => c.results.length < c.runs)) {
      const run = await runOnce(c.command, c.args, join(work, 'rss'), c.env);
      if (!(c.ok ?? [0]).includes(run.code ?? -1)) {
        c.unavailable = `failed (exit ${run.code}): ${run.stderr.trim().split('\n')[0] ?? ''}`;
        continue;
      }
      c.results.push(run);
    }
  }

  const after = await machine(chromium);
  const summary = Object.fromEntries(
    cases.map((c) => [
      c.id,
      {
        label: c.label,
        runs: c.results.length,
        median: c.unavailable || c.results.length === 0 ? undefined : median(c.results.map((r) => r.seconds)),
        min: c.results.length ? Math.min(...c.results.map((r) => r.seconds)) : undefined,
        max: c.results.length ? Math.max(...c.results.map((r) => r.seconds)) : undefined,
        peakRssMiB: c.results.some((r) => r.rssKiB) ? Math.max(...c.results.map((r) => r.rssKiB ?? 0)) / 1024 : undefined,
        ...(c.unavailable ? { unavailable: c.unavailable } : {}),
      },
    ]),
  );
  const t = (id) => summary[id]?.median;
  const ratio = (a, b) => (t(a) !== undefined && t(b) !== undefined ? t(a) / t(b) : undefined);
  const ratios = [
    { label: 'PDF build ÷ bare print, 1×', value: ratio('pdf-1', 'bare-1'), target: '—' },
    { label: 'PDF build ÷ bare print, 10×', value: ratio('pdf-10', 'bare-10'), target: '≤ 1.3' },
    { label: 'PDF build ÷ bare print, 100×', value: ratio('pdf-100', 'bare-100'), target: '≤ 1.3' },
    { label: 'HTML build ÷ node -e 0, 1×', value: ratio('html-1', 'node'), target: '≤ 6' },
    { label: 'HTML build 100× ÷ 1×', value: ratio('html-100', 'html-1'), target: '≤ 100 (linear)' },
    { label: 'HTML build 100× ÷ 10×', value: ratio('html-100', 'html-10'), target: '≤ 10 (linear)' },
    { label: 'validate 100× ÷ 1×', value: ratio('validate-100', 'validate-1'), target: '≤ 100 (linear)' },
    { label: 'validate 100× ÷ 10×', value: ratio('validate-100', 'validate-10'), target: '≤ 10 (linear)' },
    { label: 'PDF build 10× ÷ 1×', value: ratio('pdf-10', 'pdf-1'), target: '≤ 10 (linear)' },
    { label: 'PDF build 100× ÷ 10×', value: ratio('pdf-100', 'pdf-10'), target: '≤ 10 (linear)' },
    { label: '3 reports in one run ÷ in 3 runs', value: ratio('multi-one', 'multi-three'), target: '< 1' },
  ].filter((r) => !(flags.quick && r.label.includes('100×')));
  const checks = [
    { label: `HTML build, 100×`, value: t('html-100'), target: '< 2 s' },
    { label: `PDF build, 100×`, value: t('pdf-100'), target: 'completes' },
    { label: `csi diff, two ${biggest}× plans`, value: t(`diff-${biggest}`), target: '< 1 s' },
  ];

  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ machine: { ...before, loadAfter: after.load }, cases: summary, ratios, checks }, null, 2)}\n`);
  } else {
    const fmt = (n, digits = 2) => (n === undefined || Number.isNaN(n) ? '' : n.toFixed(digits));
    const lines = [
      `Machine: ${before.cpu}, ${before.memory}, ${before.os}; Node ${before.node}; ${before.browser}`,
      `Load average (1, 5, 15 min): ${before.load} before, ${after.load} after; median of the runs shown`,
      '',
      '| case | median s | min s | max s | runs | peak RSS MiB |',
      '|---|---:|---:|---:|---:|---:|',
      ...cases.map((c) => {
        const s = summary[c.id];
        return s.unavailable
          ? `| ${c.label} | ${s.unavailable} | | | | |`
          : `| ${c.label} | ${fmt(s.median)} | ${fmt(s.min)} | ${fmt(s.max)} | ${s.runs} | ${fmt(s.peakRssMiB, 0)} |`;
      }),
      '',
      '| ratio (medians) | value | target |',
      '|---|---:|---|',
      ...ratios.map((r) => `| ${r.label} | ${r.value === undefined ? 'n/a' : r.value.toFixed(2)} | ${r.target} |`),
      ...checks.map((r) => `| ${r.label} | ${r.value === undefined ? 'n/a' : `${r.value.toFixed(2)} s`} | ${r.target} |`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  if (flags.keep) log(`plans and outputs kept in ${work}`);
  else await rm(work, { recursive: true, force: true });
}

main().catch((error) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
