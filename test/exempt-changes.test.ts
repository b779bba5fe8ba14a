import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../src/pipeline.js';
import { seedCopy } from './helpers/data.js';

const SECRET = 'the name of the child at the centre of the case';

describe('the changes appendix in a public build', () => {
  it('leaves out a change that touches exempt information, and keeps it for the exempt audience', async () => {
    const before = await seedCopy();
    const after = await seedCopy('aspirations-2017.yaml', (text) =>
      text.replace(/(  - id: aspiration-2017-02\n)(    text: >-\n)/, `$1    exempt: { paragraph: 2 }\n$2      ${SECRET}\n`),
    );
    const recommendations = join(after, 'recommendations-2014.yaml');
    await writeFile(recommendations, (await readFile(recommendations, 'utf8')).replace('status: complete', 'status: at-risk'));
    const render = async (audience: 'public' | 'exempt') => (await renderReport({ dataDir: after, changesSince: before, audience })).html;

    const publicHtml = await render('public');
    expect(publicHtml).not.toContain(SECRET);
    expect(publicHtml).not.toContain('aspiration-2017-02');
    // The change that is not exempt is still listed.
    expect(publicHtml).toMatch(/Changes since/);
    expect(publicHtml).toMatch(/At risk/);

    expect(await render('exempt')).toContain(SECRET);
  });
});
