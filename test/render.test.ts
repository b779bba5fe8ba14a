import { describe, expect, it } from 'vitest';
import { parseDataSet } from '../src/data/dataset.js';
import { buildModel, tally } from '../src/model/report.js';
import { withhold } from '../src/model/withhold.js';
import { frameworkDiagram } from '../src/render/diagram.js';
import { loadTemplates, renderHtml, renderPrintMargins } from '../src/render/html.js';
import { markdownBlock, markdownInline } from '../src/render/markdown.js';
import { breakableUrl, buildView, describeTally } from '../src/render/view.js';
import { PRESETS } from '../src/model/status.js';
import { seedFiles, seedText } from './helpers/data.js';

const lookup = (key: string) => (key === 'chronology' ? { number: 1, anchor: 'appendix-chronology' } : undefined);

describe('Markdown from data', () => {
  it('renders emphasis, lists and appendix references', () => {
    expect(markdownInline('**See [[appendix:chronology]].**', lookup)).toBe(
      '<strong>See <a href="#appendix-chronology">Appendix 1</a>.</strong>',
    );
    expect(markdownBlock('Reported on:\n\n- one\n- two', lookup)).toBe(
      '<p>Reported on:</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>',
    );
  });

  it('removes scripts, event handlers, styles and dangerous URLs', () => {
    const html = markdownBlock(
      [
        '<script>alert(1)</script>',
        '<img src="file:///etc/passwd" onerror="alert(1)">',
        '<p style="background:url(http://x)" onclick="x()">hi</p>',
        '[js](javascript:alert(1)) [file](file:///etc/passwd) [ok](https://example.org)',
        '<iframe src="https://example.org"></iframe>',
      ].join('\n\n'),
      lookup,
    );
    expect(html).not.toMatch(/script|onerror|onclick|style=|javascript:|file:|<img|<iframe/i);
    expect(html).toContain('<a href="https://example.org">ok</a>');
    expect(html).toContain('<p>hi</p>');
  });
});

describe('the view of the seed report', () => {
  async function seedView() {
    const result = parseDataSet(await seedFiles());
    if (!result.ok) throw new Error('seed data invalid');
    const model = buildModel(result.data);
    return { model, view: buildView(withhold(model, 'public'), { css: '', generator: 'csi test' }) };
  }

  it('numbers sections and paragraphs from their order', async () => {
    const { view } = await seedView();
    expect(view.sections.map((s) => `${s.number} ${s.title}`)).toEqual([
      '1.0 Purpose of the Report',
      '2.0 Background',
      '3.0 Current Arrangements',
      '4.0 Invited Witnesses',
      '5.0 List of Appendices',
      '6.0 Background Papers & Links',
      '7.0 Glossary',
      '8.0 Officer Contact',
    ]);
    expect(view.sections[1]!.paragraphs.map((p) => p.number)).toEqual(
      Array.from({ length: 11 }, (_, i) => `2.${i + 1}`),
    );
  });

  it('computes status summaries from the data, never from typed text', async () => {
    const { view } = await seedView();
    const summaries = view.appendices.map((a) => ('summary' in a ? a.summary : ''));
    expect(summaries).toEqual(['', 'All 40 recommendations and actions are complete.', 'All 23 recommendations and actions are complete.', '', '']);
    // In the vocabulary's order, whatever order the items come in.
    expect(describeTally(tally(['at-risk', 'on-track', 'complete', 'complete']), 'actions', PRESETS.progress)).toBe(
      'Of 4 actions: 2 complete, 1 on track, 1 at risk.',
    );
    expect(describeTally(tally(['on-track']), { one: 'aspiration with a status', many: 'aspirations with a status' }, PRESETS.progress)).toBe(
      'The only aspiration with a status is on track.',
    );
    expect(describeTally(tally(['green', 'green']), 'actions', PRESETS.rag)).toBe('All 2 actions are green.');
    expect(describeTally(tally(['red', 'blue', 'amber', 'blue']), 'actions', PRESETS.rag)).toBe('Of 4 actions: 2 blue, 1 amber, 1 red.');
  });

  it('changes the summary when a status in the data changes', async () => {
    const text = (await seedText('recommendations-2014.yaml')).replace('status: complete', 'status: at-risk');
    const result = parseDataSet(await seedFiles({ 'recommendations-2014.yaml': text }));
    if (!result.ok) throw new Error('invalid');
    const view = buildView(withhold(buildModel(result.data), 'public'), { css: '', generator: 'csi test' });
    expect(view.appendices[2]).toMatchObject({ summary: 'Of 23 recommendations and actions: 22 complete, 1 at risk.' });
  });

  it('renders one self-contained page with its language, a contents list and each appendix', async () => {
    const { view } = await seedView();
    const html = renderHtml(await loadTemplates(), view);
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en-GB">/);
    expect(html).not.toMatch(/<link |<script|src="http/);
    expect(html).toContain('Content-Security-Policy');
    for (let n = 1; n <= 5; n++) expect(html).toMatch(new RegExp(`<h2 id="appendix-[a-z0-9-]+-heading">Appendix ${n} – `));
    expect(html).toContain('<a href="#appendix-chronology">Appendix 1 – Continuous Service Improvement (CSI) Chronology 2012 – 2017</a>');
    expect(html).toContain('<time datetime="2017-09-19">19th September 2017</time>');
  });

  it('prints a sign-off only where the data gives one, in the language the data names', async () => {
    const report = await seedText('report.yaml');
    const withOut = parseDataSet(
      await seedFiles({ 'report.yaml': report.replace(/^sign_off: .*\n/m, '').replace(/^keywords: .*\n/m, 'language: cy\n') }),
    );
    if (!withOut.ok) throw new Error(withOut.problems.map((p) => p.message).join('; '));
    const model = withhold(buildModel(withOut.data), 'public');
    const html = renderHtml(await loadTemplates(), buildView(model, { css: '', generator: 'csi test' }));
    expect(html).not.toContain('class="sign-off"');
    expect(html).not.toContain('19th September 2017');
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="cy">/);
    expect(model.keywords).toEqual(['Barnsley Metropolitan Borough Council', 'Overview and Scrutiny Committee']);

    const seed = buildModel((parseDataSet(await seedFiles()) as { data: Parameters<typeof buildModel>[0] }).data);
    expect(seed.language).toBe('en-GB');
    expect(seed.keywords).toEqual(['Barnsley Metropolitan Borough Council', 'Overview and Scrutiny Committee', 'Continuous Service Improvement']);
  });

  it('prints where a report came from in the footer of a draft, or when asked; a final one shows only its plan version', async () => {
    const model = withhold((await seedView()).model, 'public');
    const templates = await loadTemplates();
    const provenance = 'Plan version 2017.3 · commit 0123456789ab · data sha256 ffffffffffff';
    const footer = (m: typeof model, asked = false) =>
      renderPrintMargins(templates, buildView(m, { css: '', generator: 'csi test', provenance, provenanceOnPages: asked })).footer;
    expect(footer(model)).not.toMatch(/commit|sha256|Plan version/);
    expect(footer({ ...model, version: '2017.3' })).toContain('Plan version 2017.3</div>');
    expect(footer({ ...model, version: '2017.3' })).not.toMatch(/commit|sha256/);
    expect(footer({ ...model, status: 'draft' })).toContain(provenance);
    expect(footer(model, true)).toContain(provenance);
    // The HTML keeps it in its metadata either way.
    expect(renderHtml(templates, buildView(model, { css: '', generator: 'csi test', provenance }))).toContain(
      `<meta name="csi-provenance" content="${provenance}">`,
    );
  });

  it('refuses a language that is not a language tag', async () => {
    const report = (await seedText('report.yaml')).replace('status: final', 'status: final\nlanguage: English');
    const result = parseDataSet(await seedFiles({ 'report.yaml': report }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.message)).toEqual(['a language tag is written like "en-GB" or "cy"']);
  });

  it('words each contents entry as the heading it points to', async () => {
    const { view } = await seedView();
    const html = renderHtml(await loadTemplates(), view);
    const contents = html.slice(html.indexOf('<nav class="contents"'), html.indexOf('</nav>'));
    const entries = [...contents.matchAll(/<a href="#([^"]+)">([^<]+)<\/a>/g)];
    expect(entries.length).toBeGreaterThan(10);
    const text = (h: string) => h.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
    for (const [, anchor, label] of entries) {
      const heading = new RegExp(`<h2 id="${anchor}-heading">(.*?)</h2>`).exec(html)?.[1];
      expect(heading && text(heading), anchor).toBe(label);
    }
  });

  it('leaves a framework table cell empty where the data says nothing, rather than "None" or "Not stated"', async () => {
    const { view } = await seedView();
    const html = renderHtml(await loadTemplates(), view);
    const row = /<tr id="corporate-parenting-panel">[\s\S]*?<\/tr>/.exec(html)?.[0] ?? '';
    expect(row).toMatch(/<\/th>\s*<td><\/td>\s*<td><\/td>\s*<td><\/td>/);
    expect(html).not.toMatch(/Not stated|>None</);
  });

  it('breaks long URLs only after a slash', () => {
    expect(breakableUrl('https://a.b/c-d/e')).toBe(
      '<span class="nowrap">https:/</span><wbr><span class="nowrap">/</span><wbr><span class="nowrap">a.b/</span><wbr><span class="nowrap">c-d/</span><wbr><span class="nowrap">e</span>',
    );
  });
});

describe('the framework diagram', () => {
  const bodies = [
    { id: 'board', name: 'Board <Main>' },
    { id: 'group', name: 'Officer Group' },
  ];
  const lines = [{ from: 'group', to: 'board', what: 'Plan progress', frequency: 'monthly' }];
  const svg = frameworkDiagram(bodies, lines, { title: 't', desc: 'd' }, 'Reporting lines');

  it('has a text alternative naming every reporting line', () => {
    expect(svg).toContain('role="img" aria-labelledby="t d"');
    expect(svg).toContain('<title id="t">Reporting lines</title>');
    expect(svg).toContain('<desc id="d">Officer Group reports to Board &lt;Main&gt;: Plan progress (monthly).</desc>');
  });

  it('draws the body reported to above the body reporting', () => {
    const y = (name: string) => Number(new RegExp(`<rect x="[\\d.]+" y="([\\d.]+)"[^>]*/><text text-anchor="middle"><tspan[^>]*>${name}`).exec(svg)?.[1]);
    expect(y('Board &lt;Main&gt;')).toBeLessThan(y('Officer Group'));
    expect(svg).toContain('>monthly</text>');
  });
});
