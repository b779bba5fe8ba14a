import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDataSet } from '../src/data/dataset.js';
import type { DataSet } from '../src/data/dataset.js';
import { addChangesAppendix } from '../src/diff/appendix.js';
import { diffPlans } from '../src/diff/plan-change.js';
import { comparedWith } from '../src/diff/present.js';
import type { PlanSide } from '../src/diff/plan-change.js';
import { buildModel } from '../src/model/report.js';
import { withhold } from '../src/model/withhold.js';
import { BUILT_IN_TEMPLATES, loadTemplates } from '../src/view/html.js';
import type { Templates } from '../src/view/html.js';
import { renderHtml } from '../src/view/html.js';
import { buildView } from '../src/view/view.js';
import { seedFiles, seedText } from './helpers/data.js';

// The "Changes since …" appendix is published in the agenda pack: it must read as a clerk
// would write it, and show nothing of git.

async function dataSet(changes: Record<string, string> = {}): Promise<DataSet> {
  const result = parseDataSet(await seedFiles(changes));
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '));
  return result.data;
}

/** Edits of seed files, each by text replacement (which must match). */
async function edited(edits: Record<string, [string | RegExp, string][]>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [file, pairs] of Object.entries(edits)) {
    let text = await seedText(file);
    for (const [from, to] of pairs) {
      const next = text.replace(from, to);
      if (next === text) throw new Error(`${file}: ${from} not found`);
      text = next;
    }
    out[file] = text;
  }
  return out;
}

const gitSide = (name: string, meetingDate: string, date: string): PlanSide => ({
  source: 'git',
  name,
  location: `${name}:data/`,
  commit: '598e1a1c0ffee598e1a1c0ffee598e1a1c0ffee0',
  short: '598e1a1',
  date,
  meetingDate,
});

/** The version reported to the meeting of 5 December 2017, in git. */
const BEFORE = {
  'report.yaml': [
    ['meeting_date: 2017-09-19', 'meeting_date: 2017-12-05'],
    ['status: final', 'status: final\nversion: "2017.4"'],
  ],
  'aspirations-2017.yaml': [
    ['- id: aspiration-2017-01\n', '- id: aspiration-2017-01\n    status: at-risk\n'],
    ['- id: aspiration-2017-02\n', '- id: aspiration-2017-02\n    status: at-risk\n'],
    ['- id: aspiration-2017-03\n', '- id: aspiration-2017-03\n    status: not-started\n'],
  ],
} satisfies Record<string, [string, string][]>;

/** The version for the meeting of 13 March 2018: statuses moved, an event, a heading's year, a rewording. */
const AFTER = {
  'report.yaml': [
    ['meeting_date: 2017-09-19', 'meeting_date: 2018-03-13'],
    ['status: final', 'status: final\nversion: "2018.1"'],
  ],
  'aspirations-2017.yaml': [
    ['- id: aspiration-2017-01\n', '- id: aspiration-2017-01\n    status: on-track\n'],
    ['- id: aspiration-2017-02\n', '- id: aspiration-2017-02\n    status: on-track\n'],
    ['- id: aspiration-2017-03\n', '- id: aspiration-2017-03\n    status: not-started\n'],
    ['significant events for each case', 'significant events in each case'],
  ],
  'chronology.yaml': [
    ['Chronology 2012 – 2017', 'Chronology 2012 – 2018'],
    [/\s*$/, '\n  - id: chr-2018-01-1\n    date: 2018-01\n    event: Ofsted focused visit to the front door\n'],
  ],
  'framework.yaml': [['    meets: annually', '    meets: twice a year']],
} satisfies Record<string, [string | RegExp, string][]>;

describe('the changes appendix, as the committee reads it', () => {
  let templates: Templates;
  let before: DataSet;

  /** The appendix's HTML (from its heading to the end) for a later version with these edits. */
  async function appendix(edits: Record<string, [string | RegExp, string][]> = AFTER, reportYaml?: (t: string) => string) {
    const files = await edited(edits);
    if (reportYaml) files['report.yaml'] = reportYaml(files['report.yaml']!);
    const after = await dataSet(files);
    const change = diffPlans(
      { side: gitSide('HEAD~2', '2017-12-05', '2017-11-27T10:00:00+00:00'), data: before },
      { side: { source: 'working-tree', name: 'data', location: 'data', meetingDate: after.report.meeting_date }, data: after },
      'public',
    );
    const html = renderHtml(templates, buildView(addChangesAppendix(withhold(buildModel(after), 'public'), change), { css: '', generator: 'csi test' }));
    return html.slice(html.indexOf('<section class="appendix" id="appendix-changes-since"'));
  }

  beforeAll(async () => {
    templates = await loadTemplates();
    before = await dataSet(await edited(BEFORE));
  });

  it('is named after the meeting the earlier version went to, and shows no revision, hash or commit date', async () => {
    const html = await appendix();
    expect(html).toContain('Appendix 6 – Changes since the meeting of 5 December 2017</h2>');
    expect(html).toContain('This appendix lists what has changed in the plan since it was reported to the meeting of 5 December 2017.');
    expect(html).not.toMatch(/HEAD|598e1a1|27 November 2017|sha256|commit/);
  });

  it('sums up in the committee\'s words, with the status labels the report uses', async () => {
    expect(await appendix()).toContain(
      '<p class="status-summary">2 aspirations moved from At risk to On track; 1 new event; 1 aspiration reworded; 1 body in the framework updated.</p>',
    );
  });

  it('leaves out the report\'s own bookkeeping: meeting date, version, a heading whose year moved on', async () => {
    const html = await appendix();
    expect(html).not.toMatch(/Meeting date|13 March 2018|2018\.1|Version|Report details/);
    expect(html).not.toContain('Changes to the list of appendices');
    expect(html).not.toContain('2012 – 2017');
    // A heading reworded in words, not only its year, is a change the committee sees.
    const renamed = await appendix({ ...AFTER, 'chronology.yaml': [['Chronology 2012 – 2017', 'Timeline 2012 – 2018']] });
    expect(renamed).toContain('Changes to the list of appendices');
  });

  it('shows a value that changed whole as "was … now …", and rewording with marks that are not links', async () => {
    const html = await appendix();
    expect(html).toContain('<span class="change-field">Status:</span> was At risk, now On track</p>');
    expect(html).toContain('<span class="change-field">Meets:</span> was annually, now twice a year</p>');
    expect(html).toContain(
      'significant events <del><span class="visually-hidden">[removed: </span>for<span class="visually-hidden">]</span></del> ' +
        '<ins><span class="visually-hidden">[added: </span>in<span class="visually-hidden">]</span></ins> each case',
    );
    expect(html).toContain('Where words changed, words added are in bold and words removed are struck through.');
    // Inserted words are bold, never underlined like a link; removed ones struck through.
    const css = await readFile(`${BUILT_IN_TEMPLATES}report.css`, 'utf8');
    expect(css).toMatch(/\.changes ins \{[^}]*text-decoration: none;[^}]*font-weight: bold;/);
    expect(css).toMatch(/\.changes del \{[^}]*text-decoration: line-through;/);
  });

  it('shows a text replaced outright as it was and as it is, not as a salad of marks', async () => {
    const html = await appendix({
      ...AFTER,
      'aspirations-2017.yaml': [...AFTER['aspirations-2017.yaml'], [/Children, young people and families are offered help[^-]*?avoided/, 'Every family gets help early.']],
    });
    expect(html).toMatch(/<span class="change-field">Text, was:<\/span> Children, young people and families are offered help when needs/);
    expect(html).toContain('<span class="change-field">Text, now:</span> Every family gets help early.</p>');
  });

  it('shows a text replaced outright as its reader reads it: no Markdown, references as printed', async () => {
    const html = await appendix({
      ...AFTER,
      'aspirations-2017.yaml': [
        ...AFTER['aspirations-2017.yaml'],
        [/Children, young people and families are offered help[^-]*?avoided/, 'Every family gets _early_ help: see [the plan](https://example.org/plan) and [[appendix:chronology]].'],
      ],
    });
    expect(html).toContain('<span class="change-field">Text, now:</span> Every family gets early help: see the plan and Appendix 1.</p>');
  });

  it('leaves out the items and the kinds of change the author names in changes_appendix', async () => {
    const html = await appendix(AFTER, (t) =>
      t.replace('status: final', 'status: final\nchanges_appendix:\n  leave_out: [chr-2018-01-1]\n  leave_out_changes: [reworded, updated]'),
    );
    expect(html).toContain('<p class="status-summary">2 aspirations moved from At risk to On track.</p>');
    expect(html).not.toMatch(/Jan 2018|focused visit|Aspiration 4|twice a year/);
    expect(html).not.toContain('Where words changed');
  });

  it('says so when nothing is left to list', async () => {
    const html = await appendix({ ...BEFORE, 'report.yaml': AFTER['report.yaml'] });
    expect(html).toContain('<p class="status-summary">Nothing in the plan has changed since it was reported to the meeting of 5 December 2017.</p>');
    expect(html).not.toContain('<table');
  });
});

describe('what a changes appendix is compared with', () => {
  const side = (meetingDate: string, extra: Partial<PlanSide> = {}): PlanSide => ({ source: 'directory', name: 'plans/old', location: 'plans/old', meetingDate, ...extra });

  it('names the earlier meeting, else the date of the earlier version, else the meeting it was for: never a revision', () => {
    const later = side('2018-03-13');
    expect(comparedWith({ from: side('2017-12-05'), to: later }).title).toBe('Changes since the meeting of 5 December 2017');
    const sameMeeting = side('2017-12-05');
    expect(comparedWith({ from: gitSide('HEAD~2', '2017-12-05', '2017-11-27T10:00:00+00:00'), to: sameMeeting })).toEqual({
      title: 'Changes since 27 November 2017',
      since: 'the version of 27 November 2017',
    });
    expect(comparedWith({ from: side('2017-12-05'), to: sameMeeting }).title).toBe('Changes since the version for the meeting of 5 December 2017');
  });
});
