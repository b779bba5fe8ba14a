import { describe, expect, it } from 'vitest';
import { parseDataSet } from '../src/data/dataset.js';
import { buildModel, tally } from '../src/model/report.js';
import { withhold } from '../src/model/withhold.js';
import fc from 'fast-check';
import { countCrossings, describeLines, frameworkDiagram, layoutFramework } from '../src/view/diagram.js';
import type { DiagramBody, Rect } from '../src/view/diagram.js';
import type { ReportingLine } from '../src/model/report.js';
import { loadData } from '../src/pipeline.js';
import { loadTemplates, renderHtml, renderPrintMargins } from '../src/view/html.js';
import { markdownBlock, markdownInline } from '../src/text/markdown.js';
import { breakableUrl, buildView, describeTally } from '../src/view/view.js';
import { PRESETS } from '../src/data/status.js';
import { SEED_DATA, seedFiles, seedText } from './helpers/data.js';

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
    expect(row).toMatch(/<\/th>\s*<td data-label="Chaired by"><\/td>\s*<td data-label="Meets"><\/td>\s*<td data-label="Reports to"><\/td>/);
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

describe('the framework diagram, laid out for any framework', () => {
  const overlap = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  /** Whether segment pq passes through the inside of box r (shrunk a little, so touching its edge does not count). */
  const through = (p: { x: number; y: number }, q: { x: number; y: number }, r: Rect) => {
    const inner = { x: r.x + 1, y: r.y + 1, w: r.w - 2, h: r.h - 2 };
    for (let k = 0; k <= 50; k++) {
      const x = p.x + ((q.x - p.x) * k) / 50;
      const y = p.y + ((q.y - p.y) * k) / 50;
      if (x > inner.x && x < inner.x + inner.w && y > inner.y && y < inner.y + inner.h) return true;
    }
    return false;
  };
  const check = (bodies: DiagramBody[], lines: ReportingLine[]) => {
    const layout = layoutFramework(bodies, lines);
    const boxes = [...layout.boxes, ...(layout.unconnected?.boxes ?? [])];
    expect(boxes.map((b) => b.id).sort()).toEqual(bodies.map((b) => b.id).sort());
    for (const [i, a] of boxes.entries()) for (const b of boxes.slice(i + 1)) expect(overlap(a, b), `${a.id} and ${b.id} overlap`).toBe(false);
    const labels = layout.lines.map((l) => l.label);
    for (const [i, a] of labels.entries()) {
      for (const b of labels.slice(i + 1)) expect(overlap(a, b), `labels "${a.text}" and "${b.text}" overlap`).toBe(false);
      for (const box of boxes) expect(overlap(a, box), `label "${a.text}" covers ${box.id}`).toBe(false);
      expect(a.x >= 0 && a.x + a.w <= layout.width && a.y >= 0 && a.y + a.h <= layout.height).toBe(true);
    }
    for (const l of layout.lines) {
      for (const box of boxes.filter((b) => b.id !== l.line.from && b.id !== l.line.to)) {
        for (let k = 0; k + 1 < l.points.length; k++) expect(through(l.points[k]!, l.points[k + 1]!, box), `${l.line.from}→${l.line.to} crosses ${box.id}`).toBe(false);
      }
    }
    return layout;
  };

  it("draws the seed's framework with no crossing lines, and the body with no line apart under a heading", async () => {
    const data = await loadData(SEED_DATA);
    const framework = buildModel(data).appendices.find((a) => a.kind === 'framework');
    if (framework?.kind !== 'framework') throw new Error('no framework in the seed');
    const layout = check(framework.bodies, framework.lines);
    expect(countCrossings(layout.lines)).toBe(0);
    expect(layout.unconnected?.boxes.map((b) => b.id)).toEqual(['corporate-parenting-panel']);
    expect(describeLines(framework.bodies, framework.lines).at(-1)).toBe('No reporting line recorded for: Corporate Parenting Panel.');
  });

  it('keeps labels off each other and off boxes, and lines out of boxes, whatever the number and order of bodies', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }).chain((n) =>
          fc.record({
            n: fc.constant(n),
            // each body reports to some bodies before it in a hidden order: no cycles
            edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.constantFrom('monthly', 'annually', 'every board meeting', 'bi-monthly'), fc.boolean()), { maxLength: 2 * n }),
            order: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
            long: fc.boolean(),
          }),
        ),
        ({ n, edges, order, long }) => {
          const bodies = order.map((i) => ({ id: `b${i}`, name: long ? `Body number ${i} with a rather long and winding name` : `Body ${i}` }));
          const seen = new Set<string>();
          const lines: ReportingLine[] = [];
          for (const [a, b, frequency, privately] of edges) {
            if (a === b || seen.has(`${Math.max(a, b)}>${Math.min(a, b)}`)) continue;
            seen.add(`${Math.max(a, b)}>${Math.min(a, b)}`);
            lines.push({ from: `b${Math.max(a, b)}`, to: `b${Math.min(a, b)}`, what: 'Reports', frequency, ...(privately ? { session: 'private' as const } : {}) });
          }
          expect(n).toBe(bodies.length);
          check(bodies, lines);
        },
      ),
      { numRuns: 150 },
    );
  });
});
