import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dataHash, describeProvenance, sourceDateEpoch } from '../src/provenance.js';
import type { Provenance } from '../src/provenance.js';
import { seedCopy, SEED_DATA, tempDir } from './helpers/data.js';
import { describeWithBrowser } from './helpers/environment.js';
import { flatten, pageTexts, pdfinfo, readPdf } from './helpers/pdf.js';
import { csi, csiBinary } from './helpers/cli.js';

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/** Builds with the real binary into a fresh folder; the environment is only what is given (no SOURCE_DATE_EPOCH from outside). */
async function build(dataDir: string, env: Record<string, string> = {}, args: string[] = []) {
  const out = join(await tempDir(), 'out');
  const run = await csiBinary(['build-report', dataDir, '--out', out, ...args], { env: { SOURCE_DATE_EPOCH: '', ...env } });
  if (run.code !== 0) throw new Error(`csi exited ${run.code}: ${run.stderr}`);
  const html = await readFile(join(out, 'report.html'));
  const pdf = await readFile(join(out, 'report.pdf'));
  return { out, pdfPath: join(out, 'report.pdf'), html, pdf, hashes: [sha256(html), sha256(pdf)] };
}

/** `pdfinfo -isodates`, with custom entries. */
function isoInfo(path: string): Record<string, string> {
  const text = execFileSync('pdfinfo', ['-isodates', '-custom', path], { encoding: 'utf8' });
  return Object.fromEntries(text.split('\n').filter((l) => l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]));
}

/** A temporary git repository holding the data, committed at a fixed date. */
async function committedData(when: string): Promise<{ dir: string; commit: string }> {
  const dir = await seedCopy();
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.org', '-c', 'commit.gpgsign=false', ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when },
    }).trim();
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'the plan');
  return { dir, commit: git('rev-parse', 'HEAD') };
}

describe('provenance', () => {
  const files = (entries: Record<string, string>) => new Map(Object.entries(entries).map(([k, v]) => [k, new TextEncoder().encode(v)]));

  it('hashes the data so that any change to a file, its name or the set of files changes the hash', () => {
    const base = dataHash(files({ 'a.yaml': 'x: 1', 'b.yaml': 'y: 2' }));
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(dataHash(files({ 'b.yaml': 'y: 2', 'a.yaml': 'x: 1' }))).toBe(base);
    expect(dataHash(files({ 'a.yaml': 'x: 1', 'b.yaml': 'y: 3' }))).not.toBe(base);
    expect(dataHash(files({ 'a.yaml': 'x: 1', 'c.yaml': 'y: 2' }))).not.toBe(base);
    expect(dataHash(files({ 'a.yaml': 'x: 1' }))).not.toBe(base);
    // Names and contents cannot run into each other.
    expect(dataHash(files({ 'a.yaml': 'x: 1y: 2' }))).not.toBe(dataHash(files({ 'a.yaml': 'x: 1', 'y: 2': '' })));
  });

  it('reads SOURCE_DATE_EPOCH as seconds, and refuses anything else', () => {
    expect(sourceDateEpoch({ SOURCE_DATE_EPOCH: '1505779200' })?.toISOString()).toBe('2017-09-19T00:00:00.000Z');
    expect(sourceDateEpoch({})).toBeUndefined();
    expect(() => sourceDateEpoch({ SOURCE_DATE_EPOCH: '2017-09-19' })).toThrow(/not a number of seconds/);
  });

  it('describes where the report came from, as the footer prints it', () => {
    const p: Provenance = { planVersion: '2018.1', commit: '0123456789ab', modified: true, dataSha256: 'f'.repeat(64), date: new Date(0), dateSource: 'git' };
    expect(describeProvenance(p)).toBe('Plan version 2018.1 · commit 0123456789ab, modified · data sha256 ffffffffffff');
    expect(describeProvenance({ ...p, planVersion: undefined, commit: undefined, modified: false })).toBe('not in git · data sha256 ffffffffffff');
  });

  it('stops with exit 2 when SOURCE_DATE_EPOCH is not a number', async () => {
    const { code, stderr } = await csi(['build-report', SEED_DATA, '--out', await tempDir(), '--format', 'html'], { SOURCE_DATE_EPOCH: 'yesterday' });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^csi: SOURCE_DATE_EPOCH is "yesterday", not a number of seconds/);
  });
});

describeWithBrowser('reproducible builds', () => {
  const EPOCH = '1505779200'; // 2017-09-19T00:00:00Z
  let first: Awaited<ReturnType<typeof build>>;
  let second: Awaited<ReturnType<typeof build>>;

  beforeAll(async () => {
    first = await build(SEED_DATA, { SOURCE_DATE_EPOCH: EPOCH });
    second = await build(SEED_DATA, { SOURCE_DATE_EPOCH: EPOCH });
  });

  it('SOURCE_DATE_EPOCH=… csi build-report, run twice, gives the same sha256 for both files', () => {
    expect(first.hashes).toEqual(second.hashes);
  });

  it('dates the PDF by SOURCE_DATE_EPOCH, and gives it a document ID that is a hash of its own content', () => {
    const info = isoInfo(first.pdfPath);
    expect(info.CreationDate).toBe('2017-09-19T00:00:00Z');
    expect(info.ModDate).toBe('2017-09-19T00:00:00Z');
    const raw = first.pdf.toString('latin1');
    const id = /\/ID \[ <([0-9A-F]{32})> <\1> \]/.exec(raw)?.[1];
    expect(id).toBeDefined();
    const zeroed = Buffer.from(raw.replaceAll(`<${id}>`, `<${'0'.repeat(32)}>`), 'latin1');
    expect(sha256(zeroed).slice(0, 32).toUpperCase()).toBe(id);
  });

  it('keeps the PDF tagged and bookmarked after setting dates and ID', async () => {
    expect(pdfinfo(first.pdfPath).Tagged).toBe('yes');
    const { outline, markInfo } = await readPdf(first.pdfPath);
    expect(markInfo?.Marked).toBe(true);
    expect(flatten(outline)).toContain('1.0 Purpose of the Report');
    expect(flatten(outline).filter((t) => t.startsWith('Appendix '))).toHaveLength(5);
  });
});

describeWithBrowser('provenance from git', () => {
  let repo: { dir: string; commit: string };
  let clean: Awaited<ReturnType<typeof build>>;

  beforeAll(async () => {
    repo = await committedData('2017-09-12T10:00:00Z');
    clean = await build(repo.dir);
  });

  it('without SOURCE_DATE_EPOCH, dates the PDF by the data\'s last commit and builds the same bytes again', async () => {
    expect(isoInfo(clean.pdfPath).CreationDate).toBe('2017-09-12T10:00:00Z');
    expect((await build(repo.dir)).hashes).toEqual(clean.hashes);
  });

  it('keeps the commit and the data hash off the pages of a final report: they are in its PDF metadata and HTML meta', async () => {
    const files = new Map<string, Uint8Array>();
    for (const name of execFileSync('git', ['ls-files'], { cwd: repo.dir, encoding: 'utf8' }).trim().split('\n')) {
      files.set(name, await readFile(join(repo.dir, name)));
    }
    const data = dataHash(files);
    for (const page of pageTexts(clean.pdfPath)) {
      expect(page).not.toContain(repo.commit.slice(0, 7));
      expect(page).not.toContain(data.slice(0, 12));
      expect(page).not.toMatch(/sha256|HEAD|\bcommit\b/i);
    }
    const info = isoInfo(clean.pdfPath);
    expect(info.GitCommit).toBe(repo.commit.slice(0, 12));
    expect(info.DataSHA256).toBe(data);
    const footer = `commit ${repo.commit.slice(0, 12)} · data sha256 ${data.slice(0, 12)}`;
    expect(clean.html.toString()).toContain(`<meta name="csi-provenance" content="${footer}">`);

    // Asked for, it is in the footer of every page of a final report too.
    const asked = await build(repo.dir, {}, ['--provenance']);
    for (const page of pageTexts(asked.pdfPath)) expect(page).toContain(footer);
  });

  it('prints where a draft came from in its footer, "modified" once the data differs from the commit', async () => {
    const report = join(repo.dir, 'report.yaml');
    await writeFile(report, (await readFile(report, 'utf8')).replace('status: final', 'status: draft'));
    const changed = await build(repo.dir);
    const info = isoInfo(changed.pdfPath);
    expect(info.GitCommit).toBe(`${repo.commit.slice(0, 12)} (modified)`);
    expect(info.DataSHA256).not.toBe(isoInfo(clean.pdfPath).DataSHA256);
    for (const page of pageTexts(changed.pdfPath)) expect(page).toMatch(new RegExp(`commit ${repo.commit.slice(0, 12)}, modified · data sha256 [0-9a-f]{12}`));
    execFileSync('git', ['checkout', '--', 'report.yaml'], { cwd: repo.dir });
  });

  it('marks every page DRAFT while the report is a draft, and no page once it is final', async () => {
    const draft = await build(await seedCopy('report.yaml', (t) => t.replace('status: final', 'status: draft')));
    for (const page of pageTexts(draft.pdfPath)) expect(page).toMatch(/^\s*DRAFT\s*$/m);
    for (const page of pageTexts(clean.pdfPath)) expect(page).not.toMatch(/DRAFT/);
  });
});
