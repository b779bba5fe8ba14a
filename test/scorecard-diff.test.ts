import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Chalk } from 'chalk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { diff } from '../src/diff/api.js';
import { formatJson } from '../src/diff/format-json.js';
import { formatText } from '../src/diff/format-text.js';
import { present } from '../src/diff/present.js';
import { buildExample, EXAMPLE_CONFIG, tempDir } from './helpers/data.js';

// The example council's scorecard a quarter earlier: no Q4 2017 figures, and the
// assessments target at 85%. What changed reads as the committee would say it, and
// nothing of the exempt measure (its title, id, figures or count) reaches the public.

const EXEMPT = /residential|Average weekly cost|4,180|4180|3,800/i;

describe('a scorecard in csi diff and the changes appendix', () => {
  let earlier: string;
  let out: string;
  let statuses: Awaited<ReturnType<typeof loadConfig>>['statuses'];
  let dataDir: string;

  beforeAll(async () => {
    const config = await loadConfig(EXAMPLE_CONFIG);
    statuses = config.statuses;
    dataDir = config.dataDir!;
    earlier = await tempDir('csi-scorecard-earlier-');
    out = await tempDir('csi-scorecard-out-');
    await cp(dataDir, earlier, { recursive: true });
    const csv = await readFile(join(earlier, 'scorecard.csv'), 'utf8');
    await writeFile(join(earlier, 'scorecard.csv'), csv.split('\n').filter((l) => !l.includes('2017-Q4')).join('\n'));
    const yaml = await readFile(join(earlier, 'scorecard.yaml'), 'utf8');
    await writeFile(join(earlier, 'scorecard.yaml'), yaml.replace('      2017-Q4: not yet available\n', '').replace('    target: 90\n', '    target: 85\n'));
  });
  afterAll(async () => {
    await rm(earlier, { recursive: true, force: true });
    await rm(out, { recursive: true, force: true });
  });

  it('says "24% → 20% (target 18%)", the new quarter\'s figure and a target change', async () => {
    const text = formatText(present(await diff(earlier, dataDir, { statuses })), new Chalk({ level: 0 }));
    expect(text).toContain('11 measures updated.');
    expect(text).toMatch(/Re-referrals within 12 months \(re-referrals\) updated\n\s+Latest figure: 24% → 20% \(target 18%\)\n\s+RAG: Red → Amber\n\s+Figures \(added\): Q4 2017: 20%/);
    expect(text).toMatch(/Assessments completed within 45 working days \(assessments-45-days\) updated\n\s+Target: 85% → 90%/);
    expect(text).toContain('Latest figure: 63 → not yet available (target 60)');
  });

  it('shows the public nothing of the exempt measure, and the exempt audience all of it', async () => {
    const publicChange = await diff(earlier, dataDir, { statuses });
    expect(formatText(present(publicChange), new Chalk({ level: 0 }))).not.toMatch(EXEMPT);
    expect(formatJson(publicChange)).not.toMatch(EXEMPT);
    const exempt = formatText(present(await diff(earlier, dataDir, { statuses, audience: 'exempt' })), new Chalk({ level: 0 }));
    expect(exempt).toContain('Average weekly cost of a residential placement');
    expect(exempt).toContain('£4,150 → £4,180 (target £3,800)');
  });

  it('lists the changes in the appendix of the public report, without the exempt measure', async () => {
    await buildExample({ outDir: out, formats: ['html'], changesSince: earlier });
    const html = await readFile(join(out, 'report.html'), 'utf8');
    const changes = html.slice(html.indexOf('Changes since'));
    expect(changes).toContain('Re-referrals within 12 months');
    expect(changes).toMatch(/24%.{0,200}20% \(target 18%\)/s);
    expect(html).not.toMatch(EXEMPT);
  });
});
