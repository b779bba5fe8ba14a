import { readFileSync } from 'node:fs';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { commit, gitIn } from './git-repo.js';
import { tempDir } from './data.js';

// The example plan of a second council (examples/westmere) committed into a temporary
// repository at five meetings, with a "Progress since the Inspection" section (kind:
// trend): Recommendation 4 goes backwards at the third meeting, and the 8th (made exempt
// at the last commit) goes backwards too, for members only. scripts/progress-since-example.mjs
// makes the same history for a reader, without the exempt recommendation.

const EXAMPLE = new URL('../../examples/westmere/', import.meta.url).pathname;

type Rag = 'blue' | 'green' | 'amber' | 'red';

/** The section, and each meeting's date, commit date and recommendations r1 … r8's statuses, as scripts/progress-since-example.mjs has them. */
const HISTORY = JSON.parse(readFileSync(new URL('../../examples/westmere-history.json', import.meta.url), 'utf8')) as {
  section: string;
  meetings: { date: string; committed: string; statuses: Rag[] }[];
};

export const SECTION = HISTORY.section;

/**
 * At the third meeting Recommendation 4 goes backwards (Blue to Green), and so does the
 * 8th, for members only: it is made exempt at the last, where its status is as the example has it.
 */
export const MEETINGS = HISTORY.meetings;

/** ofsted-2016.yaml with each recommendation's status set, and the 8th exempt if asked. */
export function withStatuses(statuses: Rag[], exempt8: boolean): (text: string) => string {
  return (text) => {
    let out = text;
    statuses.forEach((status, i) => {
      const n = i + 1;
      const pattern = new RegExp(`(- id: ofsted-2016-r${n}\\n\\s+number: ${n}\\n(\\s+)status: )\\w+`);
      if (!pattern.test(out)) throw new Error(`ofsted-2016-r${n} has moved in the example`);
      out = out.replace(pattern, (_, head: string, indent: string) => `${head}${status}${n === 8 && exempt8 ? `\n${indent}exempt: { paragraph: 3 }` : ''}`);
    });
    return out;
  };
}

export function withMeeting(date: string, section: boolean): (text: string) => string {
  return (text) => {
    const out = text.replace(/^meeting_date: .*$/m, `meeting_date: ${date}`);
    return section ? out.replace('  - id: performance\n', `${SECTION}  - id: performance\n`) : out;
  };
}

/** The example, with a trend section, committed once per meeting. */
export async function exampleRepo(section = SECTION): Promise<string> {
  const repo = await tempDir('csi-progress-since-');
  await cp(EXAMPLE, repo, { recursive: true });
  const report = join(repo, 'data', 'report.yaml');
  const original = await readFile(report, 'utf8');
  await writeFile(report, original.replace('  - id: performance\n', `${section}  - id: performance\n`));
  gitIn(repo, ['init', '-q', '-b', 'main']);
  for (const [i, m] of MEETINGS.entries()) {
    await commit(repo, {
      message: `Plan for the meeting of ${m.date}`,
      date: m.committed,
      files: {
        'data/report.yaml': withMeeting(m.date, false),
        'data/ofsted-2016.yaml': withStatuses(m.statuses, i === MEETINGS.length - 1),
      },
    });
  }
  return repo;
}

/** The counts in a trend section's table: meeting (ISO) → column → number. */
export function tableOf(html: string, sectionId = 'progress-since'): Map<string, Record<string, number>> {
  const section = html.slice(html.indexOf(`id="section-${sectionId}"`));
  const table = section.slice(section.indexOf('<table class="progress-table trend-table"'), section.indexOf('</table>'));
  const heads = [...table.matchAll(/<th scope="col"[^>]*>([^<]+)<\/th>/g)].map((m) => m[1]!);
  const rows = new Map<string, Record<string, number>>();
  for (const row of table.matchAll(/<tr><th scope="row"><time datetime="([\d-]+)">[^<]+<\/time><\/th>(.*?)<\/tr>/g)) {
    const cells = [...row[2]!.matchAll(/<td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1]));
    rows.set(row[1]!, Object.fromEntries(heads.slice(1).map((h, i) => [h, cells[i]!])));
  }
  return rows;
}

/** The sentence a trend section opens with. */
export function summaryOf(html: string): string {
  return /<p class="trend-summary">([^<]*)<\/p>/.exec(html)?.[1] ?? '';
}

