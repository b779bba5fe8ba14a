#!/usr/bin/env node
// Times `csi diff` on two synthetic plans of N items each (default 10,000): the
// compare itself, and the whole command from the shell. Not a test: it prints
// numbers (the fastest of several runs, and the median). Build first (`npm run build`),
// then: node scripts/bench-diff.js [N]. KEEP=1 keeps the two generated data folders.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { parseDataSet } from '../dist/data/dataset.js';
import { readDataDir } from '../dist/data/read.js';
import { collectItems } from '../dist/diff/items.js';
import { compare } from '../dist/diff/compare.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const N = Number(process.argv[2] ?? 10_000);
const STATUSES = ['complete', 'on-track', 'at-risk', 'not-started'];
const WORDS = 'children young people families help needs concerns services social care early timely plan review board partners quality practice'.split(' ');

/** A small deterministic generator, so every run compares the same plans. */
function random(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const rnd = random(20170919);
const pick = (list) => list[Math.floor(rnd() * list.length)];
const sentence = (n) => Array.from({ length: n }, () => pick(WORDS)).join(' ');

/** Extra recommendation appendices of 1,000 items each hold what the seed's appendices do not (files are capped at 1 MB). */
const EXTRA = Array.from({ length: Math.max(1, Math.round((N * 0.6) / 1000)) }, (_, i) => `extra-${i + 1}`);

/** Plan A: the seed's report and framework, with big chronology, recommendation and aspiration appendices. */
async function planA() {
  const per = Math.floor(N / 10);
  const chronology = {
    kind: 'chronology', key: 'chronology', title: 'Chronology of Events',
    entries: Array.from({ length: per }, (_, i) => ({
      id: `chr-${i}`,
      date: `${2000 + Math.floor(i / 120)}-${String((Math.floor(i / 10) % 12) + 1).padStart(2, '0')}`,
      event: sentence(12),
    })),
  };
  const recs = (key, prefix, size = per) => ({
    kind: 'recommendations', key, title: `Recommendations ${key}`,
    groups: Array.from({ length: 20 }, (_, g) => ({
      id: `${prefix}-g${g}`, title: `Group ${g}`,
      items: Array.from({ length: Math.ceil(size / 20) }, (_, i) => ({ id: `${prefix}-${g}-${i}`, status: pick(STATUSES), text: sentence(25) })),
    })),
  });
  const aspirations = {
    kind: 'aspirations', key: 'aspirations-2017', title: 'Aspirations',
    aspirations: Array.from({ length: per }, (_, i) => ({ id: `asp-${i}`, status: pick(STATUSES), text: sentence(30) })),
  };
  return {
    'report.yaml': parse(await readFile(join(ROOT, 'data/report.yaml'), 'utf8')),
    'glossary.yaml': parse(await readFile(join(ROOT, 'data/glossary.yaml'), 'utf8')),
    'framework.yaml': parse(await readFile(join(ROOT, 'data/framework.yaml'), 'utf8')),
    'chronology.yaml': chronology,
    'recommendations-2012.yaml': recs('recommendations-2012', 'r12'),
    'recommendations-2014.yaml': recs('recommendations-2014', 'r14'),
    'aspirations-2017.yaml': aspirations,
    ...Object.fromEntries(EXTRA.map((key, i) => [`${key}.yaml`, recs(key, `x${i}`, Math.round((N * 0.6) / EXTRA.length))])),
  };
}

/** Plan B: A with about 5% of items changed in every way the diff knows. */
function planB(a) {
  const b = structuredClone(a);
  const groups = ['recommendations-2012.yaml', 'recommendations-2014.yaml', ...EXTRA.map((k) => `${k}.yaml`)].flatMap((f) => b[f].groups);
  for (const group of groups) {
    for (const item of group.items) {
      const r = rnd();
      if (r < 0.02) item.status = pick(STATUSES);
      else if (r < 0.04) item.text = item.text.replace(/^\w+/, 'reworded');
    }
    group.items = group.items.filter(() => rnd() > 0.01);
    if (rnd() < 0.5) group.items.push({ id: `${group.id}-new`, status: 'not-started', text: sentence(20) });
  }
  // Moves between appendices, and within a list.
  const from = b['recommendations-2012.yaml'].groups[0].items;
  b['recommendations-2014.yaml'].groups[0].items.push(...from.splice(0, 10));
  b['aspirations-2017.yaml'].aspirations.push(...b['aspirations-2017.yaml'].aspirations.splice(5, 5));
  for (const entry of b['chronology.yaml'].entries) if (rnd() < 0.03) entry.event += ' (updated)';
  return b;
}

async function write(plan) {
  const dir = await mkdtemp(join(tmpdir(), 'csi-bench-diff-'));
  await mkdir(dir, { recursive: true });
  for (const [name, value] of Object.entries(plan)) await writeFile(join(dir, name), stringify(value, { lineWidth: 0 }));
  return dir;
}

/** Runs `work` `runs` times and prints the fastest and the median: the machine may be shared. */
function time(label, work, runs = 1) {
  const times = [];
  let result;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    result = work();
    times.push(performance.now() - start);
  }
  times.sort((x, y) => x - y);
  const median = times[Math.floor(times.length / 2)];
  const spread = runs > 1 ? `  (median ${median.toFixed(0)} ms of ${runs})` : '';
  console.log(`${label.padEnd(44)} ${times[0].toFixed(0).padStart(6)} ms${spread}`);
  return result;
}

const a = await planA();
a['report.yaml'].appendices.push(...EXTRA);
const dirA = await write(a);
const dirB = await write(planB(a));
try {
  const load = async (d) => {
    const files = await readDataDir(d);
    const parsed = time('read and check one plan (parseDataSet)', () => parseDataSet(files));
    if (!parsed.ok) throw new Error(parsed.problems.map((p) => `${p.position?.file}:${p.position?.line} ${p.message}`).join('\n'));
    return parsed.data;
  };
  const dataA = await load(dirA);
  const dataB = await load(dirB);
  const itemsA = collectItems(dataA);
  const itemsB = collectItems(dataB);
  console.log(`plans of ${itemsA.items.length} and ${itemsB.items.length} items (Node ${process.version})`);
  // Warm up once, as a long-running process would be; then measure.
  compare(itemsA, itemsB);
  const change = time('compare (items matched by id, words diffed)', () => compare(itemsA, itemsB), 7);
  time('collect items from both data sets + compare', () => compare(collectItems(dataA), collectItems(dataB)), 7);
  console.log(`  ${change.entries.length} changes: ${change.summary.map((p) => p.text).join(', ')}`);
  time('csi diff A B --format json (whole process)', () =>
    execFileSync('node', [join(ROOT, 'bin/csi.js'), 'diff', dirA, dirB, '--format', 'json'], { maxBuffer: 1 << 28 }),
  3);
  time('node -e 0 (process start, for scale)', () => execFileSync('node', ['-e', '0']), 3);
} finally {
  if (process.env.KEEP) console.log(dirA, dirB); else await rm(dirA, { recursive: true, force: true });
  if (!process.env.KEEP) await rm(dirB, { recursive: true, force: true });
}
