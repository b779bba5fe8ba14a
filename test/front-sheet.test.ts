import { readFile, rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { buildReport } from '../src/pipeline.js';
import { csi } from './helpers/cli.js';
import { seedCopy, tempDir } from './helpers/data.js';

const made: string[] = [];
afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
});

const FRONT_SHEET = `front_sheet:
  report_of: Executive Director, Children's Services
  exempt_line: true
  fields:
    - { label: Report reference, value: CYP/24/07 }
    - { label: Purpose, value: For scrutiny }
contents: false
`;

/** The seed with a front sheet of the council's fields, the third paragraph of section 2 exempt, a recommendations section with its lead-in and no contents list. */
async function plan(extra = FRONT_SHEET): Promise<string> {
  const dir = await seedCopy('report.yaml', (text) =>
    text
      .replace(/^appendices:\n/m, `${extra}appendices:\n`)
      .replace(
        /(  - id: background\n    title: Background\n    paragraphs:\n)((?:      - .*\n(?:        .*\n)*){2})/,
        '$1$2      - { text: "The names of the families concerned.", exempt: { paragraph: 2 } }\n',
      )
      .replace(
        /^  - id: list-of-appendices\n/m,
        '  - id: recommendations\n    title: Recommendations\n    kind: recommendations\n    lead_in: "The Committee is recommended to:"\n    recommendations:\n      - Note the progress made.\n  - id: list-of-appendices\n',
      ),
  );
  made.push(dir);
  return dir;
}

async function html(dataDir: string, audience: 'public' | 'exempt'): Promise<string> {
  const outDir = await tempDir();
  made.push(outDir);
  const result = await buildReport({ dataDir, outDir, formats: ['html'], audience });
  return readFile(result.outputs[0]!.path, 'utf8');
}

describe('the front sheet the council lists', () => {
  it("prints the council's fields in its order, the lead-in, and the public or exempt line worked out from what is exempt", async () => {
    const dir = await plan();
    const page = await html(dir, 'public');
    const sheet = /<dl class="front-sheet">([\s\S]*?)<\/dl>/.exec(page)![1]!.replace(/<[^>]+>/g, '|').replace(/\s*\|[\s|]*/g, '|');
    expect(sheet).toBe(
      "|Report of|Executive Director, Children&#x27;s Services|Public or exempt|Public, except paragraph 2.3 (exempt under paragraph 2 of Schedule 12A to the Local Government Act 1972)|Report reference|CYP/24/07|Purpose|For scrutiny|",
    );
    // The public build says what is exempt, never the exempt words.
    expect(page).not.toContain('names of the families');
    expect(page).toContain('<p class="lead-in">The Committee is recommended to:</p>');
    // The exempt build names the same paragraph, and prints it.
    const exempt = await html(dir, 'exempt');
    expect(exempt).toContain('Public, except paragraph 2.3 (exempt under paragraph 2 of Schedule 12A');
    expect(exempt).toContain('names of the families');
  });

  it('leaves the contents list out when the council says so, and every "back" link goes to the top', async () => {
    const page = await html(await plan(), 'public');
    expect(page).not.toContain('contents-heading');
    expect(page).toContain('<a href="#top">Back to top</a>');
    const withContents = await html(await plan(FRONT_SHEET.replace('contents: false\n', '')), 'public');
    expect(withContents).toContain('<h2 id="contents-heading">Contents</h2>');
  });

  it('says "Public" when nothing is exempt, and refuses a typed line beside the worked-out one', async () => {
    const dir = await seedCopy('report.yaml', (t) => t.replace(/^appendices:\n/m, 'front_sheet:\n  exempt_line: true\nappendices:\n'));
    made.push(dir);
    expect(await html(dir, 'public')).toMatch(/<dt>Public or exempt<\/dt> <dd>Public<\/dd>/);
    const both = await seedCopy('report.yaml', (t) => t.replace(/^appendices:\n/m, 'front_sheet:\n  publication: Public\n  exempt_line: true\nappendices:\n'));
    made.push(both);
    const run = await csi(['validate', both]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/report\.yaml:\d+:\d+ +the public or exempt line is typed here and worked out by exempt_line: true/);
  });
});
