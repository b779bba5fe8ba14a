import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { parseDataSet } from '../src/data/dataset.js';
import type { DataSet } from '../src/data/dataset.js';
import { readDataDir } from '../src/data/read.js';
import { collectItems } from '../src/diff/items.js';
import { withhold } from '../src/model/withhold.js';
import { buildModel, isOverdue, patternNumber } from '../src/model/report.js';
import type { Appendix } from '../src/model/report.js';
import { PRESETS, worstStatus } from '../src/data/status.js';
import type { StatusScheme } from '../src/data/status.js';
import { renderReport } from '../src/pipeline.js';
import { tempDir } from './helpers/data.js';

// The Eastmoor example (examples/eastmoor): a council RAG tracker with areas above its
// actions, its own columns, numbering, due words and one overdue action.
const EASTMOOR_CONFIG = new URL('../examples/eastmoor/csi.config.yaml', import.meta.url).pathname;
const EASTMOOR_DATA = new URL('../examples/eastmoor/data/', import.meta.url).pathname;
const TRACKER = 'areas-for-improvement.yaml';

const made: string[] = [];
afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
});

const scheme = async (): Promise<StatusScheme> => (await loadConfig(EASTMOOR_CONFIG)).statuses;

/** The example's data with the tracker file edited, in a folder of its own. */
async function eastmoorCopy(edit: (text: string) => string = (t) => t): Promise<string> {
  const dir = await tempDir('csi-eastmoor-');
  made.push(dir);
  await cp(EASTMOOR_DATA, dir, { recursive: true });
  await writeFile(join(dir, TRACKER), edit(await readFile(join(dir, TRACKER), 'utf8')));
  return dir;
}

async function dataSet(dir: string, statuses?: StatusScheme): Promise<DataSet> {
  const result = parseDataSet(await readDataDir(dir), { statuses: statuses ?? (await scheme()) });
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.data;
}

async function problems(edit: (text: string) => string, statuses?: StatusScheme) {
  const result = parseDataSet(await readDataDir(await eastmoorCopy(edit)), { statuses: statuses ?? (await scheme()) });
  return result.ok ? [] : result.problems.map((p) => ({ code: p.code, line: p.position?.line, message: p.message, hint: p.hint }));
}

const trackerOf = (appendices: readonly Appendix[]) => appendices.find((a) => a.key === 'areas-for-improvement') as Extract<Appendix, { kind: 'recommendations' }>;

async function html(dir: string, audience: 'public' | 'exempt' = 'public'): Promise<string> {
  return (await renderReport({ dataDir: dir, statuses: await scheme(), audience, env: { SOURCE_DATE_EPOCH: '1737417600' } })).html;
}

/** A table row's cells as text, by the row's id. */
function rowText(page: string, id: string): string[] {
  const row = new RegExp(`<tr id="${id}"[^>]*>([\\s\\S]*?)</tr>`).exec(page)?.[1] ?? '';
  return [...row.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
}

describe('action numbers by the council\'s pattern', () => {
  it('fills in {group}, {n}, {appendix} and {reference}, and numbers nothing for none', () => {
    const place = { appendix: 2, group: 3, n: 2, reference: 'Ofsted R7' };
    expect(patternNumber('{group}.{n}', place)).toBe('3.2');
    expect(patternNumber('AFI {group}.{n}', place)).toBe('AFI 3.2');
    expect(patternNumber('A{appendix}.{group}.{n}', place)).toBe('A2.3.2');
    expect(patternNumber('{reference}', place)).toBe('Ofsted R7');
    expect(patternNumber('none', place)).toBe('');
  });

  it('numbers the example\'s actions 1.1 … 9.3, the same in the tracker and in diff and log labels', async () => {
    const data = await dataSet(await eastmoorCopy());
    const tracker = trackerOf(buildModel(data).appendices);
    expect(tracker.groups.map((g) => g.items.map((i) => i.number).join(' '))).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 9].map((g) => `${g}.1 ${g}.2 ${g}.3`),
    );
    const items = collectItems(withhold(buildModel(data), 'public'), data.appendixFiles).items;
    expect(items.find((i) => i.id === 'afi-4-2')).toMatchObject({ label: 'Action 4.2', where: expect.stringMatching(/, AFI 4$/) });
    expect(items.find((i) => i.id === 'afi-4')?.label).toMatch(/^AFI 4: The sufficiency of homes/);
    const page = await html(await eastmoorCopy());
    expect(rowText(page, 'afi-4-2')[0]).toBe('4.2');
  });

  it('prints an item\'s reference as its number, and refuses one that is missing or exempt', async () => {
    const byReference = (t: string) =>
      t.replace('numbering: "{group}.{n}"', 'numbering: "{reference}"').replace(/(      - id: (afi-\d-\d)\n)/g, (_, line: string, id: string) => `${line}        reference: ${id.toUpperCase()}\n`);
    const data = await dataSet(await eastmoorCopy(byReference));
    expect(trackerOf(buildModel(data).appendices).groups[0]!.items.map((i) => i.number)).toEqual(['AFI-1-1', 'AFI-1-2', 'AFI-1-3']);
    expect(collectItems(withhold(buildModel(data), 'public'), data.appendixFiles).items.find((i) => i.id === 'afi-1-2')?.label).toBe('Action AFI-1-2');

    const missing = await problems((t) => t.replace('numbering: "{group}.{n}"', 'numbering: "{reference}"'));
    expect(missing[0]).toMatchObject({ code: 'MISSING_KEY', message: expect.stringContaining('has no reference') });
    const exempt = await problems((t) =>
      byReference(t).replace('reference: AFI-1-1', 'reference: { text: AFI-1-1, exempt: { paragraph: 3 } }'),
    );
    expect(exempt).toEqual([expect.objectContaining({ code: 'NOT_ALLOWED', message: "a reference printed as the item's number cannot be exempt on its own" })]);
  });

  it('numbers nothing with none, and a pattern csi cannot fill in is refused with the tokens it can', async () => {
    const data = await dataSet(await eastmoorCopy((t) => t.replace('numbering: "{group}.{n}"', 'numbering: none')));
    expect(trackerOf(buildModel(data).appendices).groups[0]!.items.map((i) => i.number)).toEqual(['', '', '']);
    expect(collectItems(withhold(buildModel(data), 'public'), data.appendixFiles).items.find((i) => i.id === 'afi-1-2')?.label).toBe('Action 2');
    expect(await problems((t) => t.replace('numbering: "{group}.{n}"', 'numbering: "{area}.{n}"'))).toEqual([
      expect.objectContaining({ code: 'NOT_ALLOWED', message: 'the numbering "{area}.{n}" has {area}, which csi does not fill in' }),
    ]);
    expect((await problems((t) => t.replace('numbering: "{group}.{n}"', 'numbering: "{group}"')))[0]?.message).toContain('the same number');
  });
});

describe('areas above actions', () => {
  it('carry a reference, a lead and an overall rating worked out as the worst of their actions', async () => {
    const tracker = trackerOf(buildModel(await dataSet(await eastmoorCopy())).appendices);
    const afi8 = tracker.groups[7]!;
    expect(afi8).toMatchObject({ reference: 'AFI 8', lead: "Director of Children's Services", rating: 'red', ratingWorkedOut: true });
    // Blue, green, green: the worst is green.
    expect(tracker.groups[0]!.rating).toBe('green');
    expect(worstStatus(PRESETS.rag, ['blue', 'amber', 'green'])).toBe('amber');
    expect(worstStatus(PRESETS.rag, ['amber', 'red'])).toBe('red');
    expect(worstStatus(PRESETS.progress, ['complete', 'not-started', 'on-track'])).toBe('not-started');
  });

  it('keep a rating the council gives, and have none under group_rating: none', async () => {
    const given = trackerOf(buildModel(await dataSet(await eastmoorCopy((t) => t.replace('    lead: Head of Early Help and Safeguarding\n', '    lead: Head of Early Help and Safeguarding\n    rating: amber\n')))).appendices);
    expect(given.groups[0]).toMatchObject({ rating: 'amber', ratingWorkedOut: false });
    const none = trackerOf(buildModel(await dataSet(await eastmoorCopy((t) => t.replace('group_rating: worst', 'group_rating: none')))).appendices);
    expect(none.groups.every((g) => g.rating === undefined)).toBe(true);
  });

  it('head their table with reference and title, then the lead and the rating shaded with its word', async () => {
    const page = await html(await eastmoorCopy());
    expect(page).toContain('<h3>AFI 8 – The stability of the social work workforce</h3>');
    expect(page).toMatch(/<span class="group-lead">Lead: Director of Children&#x27;s Services<\/span> <span class="group-rating">Overall RAG: <span class="status shade status-red">Red<\/span>/);
  });

  it('are named in the PDF bookmarks as headed, and an exempt area shows nothing of itself to the public', async () => {
    const { view } = await renderReport({ dataDir: await eastmoorCopy(), statuses: await scheme(), audience: 'public' });
    expect(view.outline).toContainEqual({ level: 3, text: 'AFI 8 – The stability of the social work workforce', anchor: 'afi-8' });
    const dir = await eastmoorCopy((t) => t.replace('    reference: AFI 8\n', '    reference: AFI 8\n    exempt: { paragraph: 1 }\n'));
    const page = await html(dir, 'public');
    // The appendix (report.yaml's own text names AFI 8 in the risks, as its author wrote it).
    const appendix = page.slice(page.indexOf('id="appendix-areas-for-improvement"'), page.indexOf('id="appendix-chronology"'));
    expect(appendix).toContain('AFI 7 –');
    expect(appendix).not.toMatch(/AFI 8|stability of the social work workforce|Keep caseloads|afi-8/);
    expect(page).toContain('Of 24 actions: 5 blue, 13 green, 6 amber. 1 overdue. Items exempt from publication are not counted.');
    expect(await html(dir, 'exempt')).toContain('<h3>AFI 8 – The stability of the social work workforce</h3>');
  });

  it('work out a public rating from the actions the public sees, never an exempt one', async () => {
    // The only red action made exempt: the public's AFI 8 is then amber, the exempt build's red.
    const dir = await eastmoorCopy((t) => t.replace("      - id: afi-8-2\n", "      - id: afi-8-2\n        exempt: { paragraph: 3 }\n"));
    expect(await html(dir, 'public')).toMatch(/AFI 8 – [^<]*<\/h3>\s*<p class="group-meta">[^\n]*Overall RAG: <span class="status shade status-amber">Amber/);
    expect(await html(dir, 'exempt')).toMatch(/AFI 8 – [^<]*<\/h3>\s*<p class="group-meta">[^\n]*Overall RAG: <span class="status shade status-red">Red/);
  });
});

describe('tracker columns', () => {
  it('are the council\'s, in its words, with the status shaded in its colour and its word in it', async () => {
    const page = await html(await eastmoorCopy());
    expect(page).toContain('<thead><tr><th scope="col" class="col-number">Ref</th><th scope="col" class="col-text">Action</th><th scope="col" class="col-owner">Lead</th><th scope="col" class="col-due">Due</th><th scope="col" class="col-status">RAG</th><th scope="col" class="col-progress">Update</th></tr></thead>');
    expect(rowText(page, 'afi-2-2')).toEqual(['2.2', 'Complete assessments within 45 working days.', 'Service Manager, Assessment', 'Ongoing', 'Amber', '81% in December against a target of 90%; two teams carry vacancies.']);
    expect(page).toContain('<td class="col-status shade status-amber" data-label="RAG">Amber</td>');
    // The shading: white on the status colour (4.5:1 on white, so the word is 4.5:1 on it).
    expect(page).toContain(':where(.shade.status-amber) { background: #a35200; color: #fff; }');
    // A progress note's "- " list is a list.
    expect(page).toMatch(/<tr id="afi-4-2"[\s\S]*?<ul>\s*<li>the planning consent came two months late;<\/li>/);
  });

  it('may be any fields in any order, and a field csi does not have is refused with the ones it does', async () => {
    const page = await html(await eastmoorCopy((t) => t.replace(/columns:\n(  - .*\n)+/, 'columns:\n  - { show: text, label: What }\n  - { show: status, label: Rating }\n')));
    expect(page).toContain('<thead><tr><th scope="col" class="col-text">What</th><th scope="col" class="col-status">Rating</th></tr></thead>');
    expect(rowText(page, 'afi-1-1')).toEqual(['Agree a threshold document with partners and train every front-door practitioner in it.', 'Blue']);
    const wrong = await problems((t) => t.replace('show: owner', 'show: lead'));
    expect(wrong).toEqual([expect.objectContaining({ code: 'NOT_ALLOWED', message: 'a tracker column cannot show "lead"' })]);
    expect(wrong[0]!.hint).toBe('did you mean "owner"? use one of: number, reference, text, owner, due, status, measure, progress, previous, direction');
  });

  it('leave csi\'s own table (No. | Status | the item) where the appendix chooses none', async () => {
    const page = await html(await eastmoorCopy((t) => t.replace(/columns:\n(  - .*\n)+/, '')));
    expect(page).toMatch(/<thead><tr><th scope="col" class="col-number">No\.<\/th><th scope="col" class="col-status">Status<\/th><th scope="col">Action<\/th><\/tr><\/thead>/);
    expect(page).toMatch(/Open a four-bed children's home in Eastmoor\.<br><span class="owner">Owner: Head of Corporate Parenting<\/span><br><span class="detail">Due: 31 Dec 2024 <strong class="overdue">Overdue<\/strong><\/span>/);
    expect(page).toContain('<span class="detail">Due: Ongoing</span>');
  });

  it('put a withheld action\'s notice across the row, keeping its number', async () => {
    const dir = await eastmoorCopy((t) => t.replace("      - id: afi-8-2\n", "      - id: afi-8-2\n        exempt: { paragraph: 3 }\n"));
    const page = await html(dir, 'public');
    expect(page).toMatch(/<tr id="[^"]+"><th scope="row" class="col-number" data-label="Ref">8\.2<\/th><td class="col-notice" colspan="5"><span class="exempt-notice">Exempt information/);
    expect(page).not.toContain('caseloads at 18');
  });
});

describe('due as a date, a month or a word, and overdue', () => {
  const meeting = { year: 2025, month: 1, day: 21 };
  const item = (due: { year: number; month: number; day?: number }, status = 'amber') => ({ due: { start: due }, status });

  it('is overdue when not done and due before the meeting: a month counts to its last day', () => {
    expect(isOverdue(item({ year: 2024, month: 12, day: 31 }), PRESETS.rag, meeting)).toBe(true);
    expect(isOverdue(item({ year: 2024, month: 12 }), PRESETS.rag, meeting)).toBe(true);
    expect(isOverdue(item({ year: 2025, month: 1 }), PRESETS.rag, meeting)).toBe(false);
    expect(isOverdue(item({ year: 2025, month: 1, day: 21 }), PRESETS.rag, meeting)).toBe(false);
    expect(isOverdue(item({ year: 2025, month: 1, day: 20 }), PRESETS.rag, meeting)).toBe(true);
    expect(isOverdue(item({ year: 2024, month: 6 }, 'blue'), PRESETS.rag, meeting)).toBe(false);
    expect(isOverdue({ status: 'red' }, PRESETS.rag, meeting)).toBe(false);
  });

  it('prints dates in full, months as months, words as written, and marks and counts the overdue', async () => {
    const page = await html(await eastmoorCopy());
    expect(rowText(page, 'afi-1-1')[3]).toBe('30 September 2024');
    expect(rowText(page, 'afi-1-3')[3]).toBe('June 2025');
    expect(rowText(page, 'afi-1-2')[3]).toBe('Quarterly');
    expect(rowText(page, 'afi-4-2')[3]).toBe('31 December 2024 Overdue');
    expect(page).toMatch(/<tr id="afi-4-2" class="overdue-row">/);
    expect(page).toContain('<p class="status-summary">Of 27 actions: 5 blue, 14 green, 7 amber, 1 red. 1 overdue.</p>');
    const two = await html(await eastmoorCopy((t) => t.replace('due: 2025-03\n        status: amber', 'due: 2024-11\n        status: amber')));
    expect(two).toContain('1 red. 2 overdue.</p>');
  });

  it('takes only the council\'s words, as written, and says which they are', async () => {
    expect(await problems((t) => t.replace('due: Ongoing', 'due: ongoing'))).toEqual([
      expect.objectContaining({ code: 'NOT_ALLOWED', message: '"ongoing" is not a due word as written', hint: 'write "Ongoing", as due_words in csi.config.yaml has it' }),
    ]);
    const tbc = await problems((t) => t.replace('due: Ongoing', 'due: TBC'));
    expect(tbc).toEqual([expect.objectContaining({ code: 'INVALID_DATE', message: 'the due "TBC" is not a date or a due word' })]);
    expect(tbc[0]!.hint).toBe('due is a date YYYY-MM-DD, a month YYYY-MM, or one of: Ongoing, Quarterly, Annually');
    // Without due_words in the config, a word is refused, and the hint says where to list it.
    const plain = await problems((t) => t, { status: PRESETS.rag, ratings: [] });
    expect(plain[0]).toMatchObject({ code: 'INVALID_DATE', message: 'the due "Quarterly" is not a date or a due word' });
    expect(plain[0]!.hint).toContain('due_words in csi.config.yaml');
  });
});
