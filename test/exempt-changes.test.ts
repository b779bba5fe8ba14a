import { describe, expect, it } from 'vitest';
import { parseDataSet } from '../src/data/dataset.js';
import { addChangesAppendix } from '../src/diff/appendix.js';
import { diffPlans } from '../src/diff/plan-change.js';
import type { PlanSide } from '../src/diff/source.js';
import { buildModel } from '../src/model/report.js';
import { loadTemplates, renderHtml } from '../src/render/html.js';
import { buildView } from '../src/render/view.js';
import { seedFiles, seedText } from './helpers/data.js';

const SECRET = 'the name of the child at the centre of the case';

async function dataSet(changes: Record<string, string> = {}) {
  const result = parseDataSet(await seedFiles(changes));
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '));
  return result.data;
}

const side = (name: string): PlanSide => ({ source: 'directory', name, location: name, meetingDate: '2017-09-19' });

describe('the changes appendix in a public build', () => {
  it('leaves out a change that touches exempt information, and keeps it for the exempt audience', async () => {
    const before = await dataSet();
    const aspirations = (await seedText('aspirations-2017.yaml')).replace(
      /(  - id: aspiration-2017-02\n)(    text: >-\n)/,
      `$1    exempt: { paragraph: 2 }\n$2      ${SECRET}\n`,
    );
    const recommendations = (await seedText('recommendations-2014.yaml')).replace('status: complete', 'status: at-risk');
    const after = await dataSet({ 'aspirations-2017.yaml': aspirations, 'recommendations-2014.yaml': recommendations });
    const model = addChangesAppendix(buildModel(after), diffPlans({ side: side('before'), data: before }, { side: side('after'), data: after }));
    const templates = await loadTemplates();
    const render = (audience: 'public' | 'exempt') =>
      renderHtml(templates, buildView(model, { css: '', generator: 'csi test', audience }));

    const publicHtml = render('public');
    expect(publicHtml).not.toContain(SECRET);
    expect(publicHtml).not.toContain('aspiration-2017-02');
    // The change that is not exempt is still listed.
    expect(publicHtml).toMatch(/Changes since/);
    expect(publicHtml).toMatch(/At risk/);

    expect(render('exempt')).toContain(SECRET);
  });
});
