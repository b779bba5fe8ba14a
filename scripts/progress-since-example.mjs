#!/usr/bin/env node
// Makes the example plan (examples/westmere) into a git repository with a history of
// five meetings, and a "Progress since the Inspection" section (kind: trend) in its
// report, so a reader can build it and see the section drawn from that history
// (test/progress-since.test.ts builds the same history and checks its counts).
//   node scripts/progress-since-example.mjs DIR
//   cd DIR && npx --no-install csi build-report
// DIR must not exist yet. Recommendation 4 goes backwards at the meeting of 21 November 2017.
import { execFileSync } from 'node:child_process';
import { cp, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const EXAMPLE = fileURLToPath(new URL('../examples/westmere/', import.meta.url));
const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: node scripts/progress-since-example.mjs DIR (a folder that does not exist yet)\n');
  process.exit(2);
}
const repo = resolve(dir);
if (await stat(repo).then(() => true, () => false)) {
  process.stderr.write(`${dir} exists already: give a new folder\n`);
  process.exit(2);
}

// The section and the meetings, as the tests have them too.
const { section: SECTION, meetings: MEETINGS } = JSON.parse(await readFile(fileURLToPath(new URL('../examples/westmere-history.json', import.meta.url)), 'utf8'));

function git(args, date) {
  const env = { ...process.env, GIT_AUTHOR_NAME: 'A. Officer', GIT_AUTHOR_EMAIL: 'officer@example.org', GIT_COMMITTER_NAME: 'A. Officer', GIT_COMMITTER_EMAIL: 'officer@example.org' };
  if (date) Object.assign(env, { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
  execFileSync('git', args, { cwd: repo, env, stdio: 'ignore' });
}

async function edit(file, change) {
  const path = join(repo, 'data', file);
  await writeFile(path, change(await readFile(path, 'utf8')));
}

await cp(EXAMPLE, repo, { recursive: true });
await edit('report.yaml', (t) => t.replace('  - id: performance\n', `${SECTION}  - id: performance\n`));
git(['init', '-q', '-b', 'main']);
for (const { date: meeting, committed, statuses } of MEETINGS) {
  await edit('report.yaml', (t) => t.replace(/^meeting_date: .*$/m, `meeting_date: ${meeting}`));
  await edit('ofsted-2016.yaml', (t) =>
    statuses.reduce((text, status, i) => text.replace(new RegExp(`(- id: ofsted-2016-r${i + 1}\\n\\s+number: ${i + 1}\\n\\s+status: )\\w+`), `$1${status}`), t),
  );
  git(['add', '-A']);
  git(['commit', '-q', '-m', `The plan for the meeting of ${meeting}`], committed);
}
process.stdout.write(`${dir}: the example plan at ${MEETINGS.length} meetings; build it there with: npx --no-install csi build-report\n`);
