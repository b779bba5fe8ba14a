#!/usr/bin/env node
// Times csi over a long history: a git repository of COMMITS commits (default 200)
// built from the seed plan in data/, with a status change, a rewording or a new
// meeting in each, an appendix retitled and a file renamed, and a meeting date that moves
// on every 25 commits (8 meetings). Not a test: it prints numbers (the fastest of
// several runs, and the median), and the floor no command over the history can go
// below (see floor()). Build first (`npm run build`), then:
// node scripts/bench-history.js [COMMITS]. KEEP=1 keeps the repository.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// CSI=/path/to/bin/csi.js times another build (an older commit's, for a before-and-after).
const CSI = process.env.CSI ?? join(ROOT, 'bin/csi.js');
const COMMITS = Number(process.argv[2] ?? 200);
const STATUSES = ['complete', 'on-track', 'at-risk', 'not-started'];

/** A small deterministic generator, so every run builds the same history. */
function random(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
const rnd = random(20161117);

const repo = mkdtempSync(join(tmpdir(), 'csi-bench-history-'));
const git = (args, env = {}) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, ...env } });

/** Replaces the `nth` match of `pattern` in a data file. */
function edit(file, pattern, replace) {
  const path = join(repo, 'data', file);
  const text = readFileSync(path, 'utf8');
  const matches = [...text.matchAll(pattern)];
  if (matches.length === 0) return false;
  const m = matches[Math.floor(rnd() * matches.length)];
  writeFileSync(path, text.slice(0, m.index) + replace(m) + text.slice(m.index + m[0].length));
  return true;
}

function build() {
  git(['init', '-q', '-b', 'main']);
  cpSync(join(ROOT, 'data'), join(repo, 'data'), { recursive: true });
  let day = Date.UTC(2016, 0, 5);
  let meeting = new Date(Date.UTC(2016, 1, 16));
  for (let i = 0; i < COMMITS; i++) {
    const date = new Date(day).toISOString();
    if (i === 0) edit('report.yaml', /^meeting_date: .*$/gm, () => `meeting_date: ${meeting.toISOString().slice(0, 10)}`);
    else {
      if (i % 25 === 0) {
        meeting = new Date(meeting.getTime() + 91 * 86_400_000);
        edit('report.yaml', /^meeting_date: .*$/gm, () => `meeting_date: ${meeting.toISOString().slice(0, 10)}`);
      } else if (i === 60) {
        // An appendix retitled.
        edit('recommendations-2014.yaml', /^title: (.*)$/gm, (m) => `title: ${m[1]} (revised)`);
      } else if (i === 120) {
        git(['mv', 'data/aspirations-2017.yaml', 'data/aspirations.yaml']);
      } else if (i % 3 === 0) {
        const file = rnd() < 0.5 || i > 120 ? 'chronology.yaml' : 'aspirations-2017.yaml';
        edit(file, /^( +(?:event|text): >-\n +)(\w+)/gm, (m) => `${m[1]}${m[2]} (revised ${i})`);
      } else {
        const file = rnd() < 0.6 ? 'recommendations-2012.yaml' : 'recommendations-2014.yaml';
        edit(file, /^( +status: )([\w-]+)$/gm, (m) => `${m[1]}${STATUSES[Math.floor(rnd() * STATUSES.length)]}`);
      }
    }
    git(['add', '-A']);
    git(['commit', '-q', '--allow-empty', '-m', `Plan update ${i + 1}`], {
      GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@example.org', GIT_COMMITTER_NAME: 'Bench',
      GIT_COMMITTER_EMAIL: 'bench@example.org', GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date,
    });
    day += 3.5 * 86_400_000;
  }
}

/**
 * Runs csi `runs` times and prints the fastest and median wall time, and the CPU
 * time (user + system) of the fastest: on a shared machine the wall time mostly
 * says how busy it is, the CPU time what csi did.
 */
function time(label, args, runs = 3) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const run = spawnSync('/usr/bin/time', ['-f', '%e %U %S', 'node', CSI, ...args, '--data', join(repo, 'data')], { cwd: repo, maxBuffer: 1 << 28, encoding: 'utf8' });
    // An unknown id exits 2 by design; anything else is a failure of the benchmark.
    if (run.status !== 0 && run.status !== 2) throw new Error(`csi ${args.join(' ')} failed: ${run.stderr}`);
    const [wall, user, system] = run.stderr.trim().split('\n').at(-1).split(' ').map(Number);
    times.push({ wall, cpu: user + system });
  }
  times.sort((x, y) => x.wall - y.wall);
  const median = times[Math.floor(runs / 2)].wall;
  console.log(`${label.padEnd(40)} ${times[0].wall.toFixed(2).padStart(6)} s wall (median ${median.toFixed(2)} s of ${runs}), ${times[0].cpu.toFixed(2)} s CPU`);
}

/**
 * What any csi command over this history spends before it can compare two versions,
 * whatever it does after: node starting and loading csi's bundle, one `git cat-file
 * --batch` for every distinct blob of the data, and csi's reader (src/data/yaml-source.ts,
 * as tsc built it) parsing each blob once. Timed in a child node (the fastest of `runs`),
 * so a target below it cannot be met by anything csi does after reading.
 */
function floor(runs = 3) {
  const commits = git(['log', '--format=%H', '--', 'data']).trim().split('\n');
  const blobs = new Map();
  for (const commit of commits) {
    for (const line of git(['ls-tree', '-r', commit, 'data/']).trim().split('\n')) {
      const [, , oid, path] = line.split(/\s+/);
      blobs.set(oid, path.replace(/^.*\//, ''));
    }
  }
  const child = `
    const started = performance.now();
    require(${JSON.stringify(join(ROOT, 'dist', 'csi.cjs'))});
    const loaded = performance.now();
    import(${JSON.stringify(join(ROOT, 'dist', 'data', 'yaml-source.js'))}).then(({ readYamlSource }) => {
      const wanted = ${JSON.stringify([...blobs])};
      const before = performance.now();
      const out = require('node:child_process').execFileSync('git', ['cat-file', '--batch'], { input: wanted.map(([oid]) => oid).join('\\n') + '\\n', maxBuffer: 1 << 28 });
      const read = performance.now();
      let at = 0;
      for (const [, name] of wanted) {
        const eol = out.indexOf(10, at);
        const size = Number(out.subarray(at, eol).toString().split(' ')[2]);
        readYamlSource(name, out.subarray(eol + 1, eol + 1 + size), { keepDocument: false });
        at = eol + 1 + size + 1;
      }
      const parsed = performance.now();
      console.log(JSON.stringify({ load: loaded, git: read - before, parse: parsed - read, bytes: out.length }));
    });`;
  const times = [];
  for (let i = 0; i < runs; i++) {
    times.push(JSON.parse(execFileSync('node', ['-e', child], { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 28 })));
  }
  const best = times.sort((x, y) => x.load + x.git + x.parse - (y.load + y.git + y.parse))[0];
  const ms = (n) => `${n.toFixed(0)} ms`;
  console.log(`${'floor: start, load, read and parse'.padEnd(40)} ${((best.load + best.git + best.parse) / 1000).toFixed(2).padStart(6)} s (node and bundle ${ms(best.load)}, git ${ms(best.git)}, parsing ${blobs.size} blobs of ${(best.bytes / 1e6).toFixed(1)} MB ${ms(best.parse)})`);
}

const has = (command) => execFileSync('node', [CSI, '--help'], { encoding: 'utf8' }).includes(`\n  ${command} `);

try {
  build();
  console.log(`${COMMITS} commits (Node ${process.version})`);
  time('csi log ofsted-2012-r03', ['log', 'ofsted-2012-r03']);
  time('csi log ofsted-2012-r3 (unknown id)', ['log', 'ofsted-2012-r3']);
  if (has('log') && execFileSync('node', [CSI, 'log', '--help'], { encoding: 'utf8' }).includes('--all')) {
    time('csi log --all --format json', ['log', '--all', '--format', 'json']);
  }
  if (has('trend')) time('csi trend --format csv', ['trend', '--format', 'csv']);
  if (has('status')) time('csi status --format csv', ['status', '--format', 'csv']);
  floor();
} finally {
  if (process.env.KEEP) console.log(repo);
  else rmSync(repo, { recursive: true, force: true });
}
