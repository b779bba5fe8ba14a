import { execFile, execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../src/pipeline.js';
import type { Audience } from '../src/model/exempt.js';
import { buildExample, SEED_DATA, tempDir } from './helpers/data.js';

/** The W3C Nu HTML checker, as the vnu-jar package ships it; it runs on Debian's Java. */
const VNU_JAR = createRequire(import.meta.url)('vnu-jar') as string;
const EXEMPT_FIXTURE = new URL('./fixtures/exempt/', import.meta.url).pathname;

/**
 * Every plan whose HTML must pass the checker: the seed, a plan with exempt information
 * built for both audiences, and the example plan of another council (its own statuses,
 * front sheet and tables). Another plan is one more line here.
 */
const PLANS: { name: string; dataDir?: string; example?: true; audience: Audience }[] = [
  { name: 'seed', dataDir: SEED_DATA, audience: 'public' },
  { name: 'exempt-public', dataDir: EXEMPT_FIXTURE, audience: 'public' },
  { name: 'exempt-exempt', dataDir: EXEMPT_FIXTURE, audience: 'exempt' },
  { name: 'example council', example: true, audience: 'public' },
];

function hasJava(): boolean {
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface NuMessage {
  type: string;
  subType?: string;
  url: string;
  lastLine?: number;
  message: string;
}

const describeWithJava = hasJava() ? describe : process.env.CI ? describe : describe.skip;

describeWithJava('the HTML passes the W3C Nu HTML checker', () => {
  const files = new Map<string, string>();
  let messages: NuMessage[] = [];

  beforeAll(async () => {
    if (!hasJava()) throw new Error('no Java under CI: apt-get install default-jre-headless');
    const out = await tempDir();
    for (const plan of PLANS) {
      const options = { outDir: join(out, plan.name.replace(/\W+/g, '-')), formats: ['html' as const], audience: plan.audience };
      const result = plan.example ? await buildExample(options) : await buildReport({ ...options, dataDir: plan.dataDir! });
      files.set(plan.name, result.outputs[0]!.path);
    }
    // One checker run for every file: the JVM's start is most of the time. It exits non-zero on errors.
    const run = await promisify(execFile)('java', ['-jar', VNU_JAR, '--format', 'json', '--stdout', ...files.values()], {
      maxBuffer: 64 * 1024 * 1024,
    }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
    messages = (JSON.parse(run.stdout) as { messages: NuMessage[] }).messages;
  }, 120_000);

  for (const plan of PLANS) {
    it(`${plan.name}: no errors`, () => {
      const path = files.get(plan.name)!;
      expect(path).toBeDefined();
      const errors = messages
        .filter((m) => m.type === 'error' || m.subType === 'fatal' || m.type === 'non-document-error')
        .filter((m) => m.type === 'non-document-error' || m.url.endsWith(path))
        .map((m) => `line ${m.lastLine}: ${m.message}`);
      expect(errors).toEqual([]);
    });
  }

  it('the checker really checks: it finds the errors the report once had', async () => {
    const dir = await tempDir();
    const bad = join(dir, 'bad.html');
    await writeFile(
      bad,
      '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>' +
        '<a href="tel:01226 775794">call</a><table><colgroup><col></colgroup><caption>c</caption><tr><td>x</td></tr></table></body></html>',
    );
    const run = await promisify(execFile)('java', ['-jar', VNU_JAR, '--format', 'json', '--stdout', bad]).catch(
      (e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }),
    );
    const found = (JSON.parse(run.stdout) as { messages: NuMessage[] }).messages.filter((m) => m.type === 'error');
    expect(found.map((m) => m.message).join('\n')).toMatch(/Space is not allowed[\s\S]*caption/);
  }, 60_000);
});
