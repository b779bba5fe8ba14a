import { APPENDIX_REFERENCE, COUNT_REFERENCE } from '../text/references.js';
import type { ExemptPlaces } from '../data/exempt-places.js';
import type { ExemptableText, FrameworkBodyData } from '../data/schema.js';
import { CsiError } from '../errors.js';
import { exemptNotice, fieldExemption, fieldText } from './exempt.js';
import type { Audience, Exemption } from './exempt.js';
import type { Appendix, ChronologyDate, RatingTallies, Recommendation, RecommendationGroup, ReportModel, Section, StatusTally } from './report.js';
import { tally, tallyRatings } from './report.js';
import { worstStatus } from '../data/status.js';
import type { Vocabulary } from '../data/status.js';
import { tallyMeasures } from './scorecard.js';
import type { Measure } from './scorecard.js';

// The one exemption rule, applied once: every command (build, diff, log) reads the
// plan only through `withhold` or `withholdVersions`, never the model as the data
// gave it. For the public, nothing that is exempt now is left: not its text, key,
// typed number, id or count. What was exempt then and is public now reads from the
// version where it became public.

/** What a public build calls a section, appendix or group it has left out. */
export const WITHHELD_TITLE = 'Exempt information';

/** The report as one audience may see it: what the view and the diff are built from, and all they are given. */
export type AudienceModel = ReportModel & { audience: Audience };

/**
 * The withhold stage, for one version of the plan. The public gets the report with
 * every exempt piece left out (withholdExempt); members and officers get all of it,
 * which the view marks as exempt.
 */
export function withhold(model: ReportModel, audience: Audience): AudienceModel {
  return withholdVersions([model], audience)[0]!;
}

/**
 * The withhold stage for several versions of the plan, oldest first, the last being
 * "now" (a diff's two sides, a log's commits). For the public, a piece exempt in any
 * later version is withheld from every earlier one too, then each version is withheld
 * as one report: so what is exempt now is in none of them, and a piece exempt then
 * and public now appears first in the version that made it public. Pure.
 */
export function withholdVersions(models: readonly ReportModel[], audience: Audience, memo?: WithholdMemo): AudienceModel[] {
  if (audience === 'exempt') return models.map((m) => ({ ...m, audience }));
  const out: AudienceModel[] = [];
  let later = new Map<string, Exemption>();
  for (let i = models.length - 1; i >= 0; i--) {
    const marked = markExempt(models[i]!, later);
    later = exemptionsIn(marked);
    out[i] = { ...withholdExempt(marked, memo), audience };
  }
  return out;
}

/**
 * Appendices already withheld, by the appendix as modelled: for versions that share
 * an appendix (a history: see ModelCache), one withheld object for all of them.
 * Only an appendix with nothing exempt in it, in a version whose text needs no
 * rewriting, is kept: its withheld form depends on nothing else.
 */
export type WithholdMemo = WeakMap<Appendix, Appendix>;

/** An empty withhold memo. */
export function withholdMemo(): WithholdMemo {
  return new WeakMap();
}

// ---- what is exempt, by id, across versions ---------------------------------------

/** Where a piece is found again in another version: sections, appendices and items by id, fields by id and name. */
const at = {
  section: (id: string) => `section:${id}`,
  appendix: (key: string) => `appendix:${key}`,
  item: (id: string) => `id:${id}`,
  field: (id: string, field: string) => `field:${id}:${field}`,
};

/** Every exempt piece of a model, by where it is found again; an item inside something exempt is exempt with it. */
function exemptionsIn(model: ReportModel): Map<string, Exemption> {
  const found = new Map<string, Exemption>();
  const note = (key: string, e: Exemption | undefined) => e && found.set(key, e);
  for (const s of model.sections) note(at.section(s.id), s.exempt);
  for (const a of model.appendices) {
    note(at.appendix(a.key), a.exempt);
    const covered = (own: Exemption | undefined, group?: Exemption) => own ?? group ?? a.exempt;
    switch (a.kind) {
      case 'chronology':
        for (const e of a.dates.flatMap((d) => d.entries)) note(at.item(e.id), covered(e.exempt));
        break;
      case 'recommendations':
        for (const g of a.groups) {
          note(at.item(g.id), covered(g.exempt));
          for (const i of g.items) {
            note(at.item(i.id), covered(i.exempt, g.exempt));
            for (const [field, e] of Object.entries(i.exemptFields ?? {})) note(at.field(i.id, field), e);
          }
        }
        break;
      case 'aspirations':
        for (const x of a.aspirations) note(at.item(x.id), covered(x.exempt));
        break;
      case 'scorecard':
        for (const m of a.measures) {
          note(at.item(m.id), covered(m.exempt));
          for (const [field, e] of Object.entries(m.exemptFields ?? {})) note(at.field(m.id, field), e);
        }
        break;
      case 'framework':
        note(at.field(a.key, 'summary'), a.exemptFields?.summary);
        for (const b of a.bodies) {
          note(at.item(b.id), covered(b.exempt));
          for (const field of BODY_FIELDS) note(at.field(b.id, field), fieldExemption(b[field]));
        }
        break;
    }
  }
  return found;
}

/** A body's fields that may be exempt on their own. */
const BODY_FIELDS = ['chair', 'meets', 'role'] as const;

/** `field`, exempt as `e` where it is set and not exempt already. */
function markField<T extends ExemptableText | undefined>(field: T, e: Exemption | undefined): T {
  if (e === undefined || field === undefined || fieldExemption(field)) return field;
  return { text: fieldText(field), exempt: e } as T;
}

/** The model with every piece that `marks` holds (exempt in a later version) marked exempt here too. Pure. */
function markExempt(model: ReportModel, marks: ReadonlyMap<string, Exemption>): ReportModel {
  if (marks.size === 0) return model;
  // Whether anything in the appendix being marked was marked: one that was not is kept as it was (the same object).
  let changed = false;
  const mark = <T extends { exempt?: Exemption | undefined }>(piece: T, key: string): T => {
    if (piece.exempt || !marks.has(key)) return piece;
    changed = true;
    return { ...piece, exempt: marks.get(key) };
  };
  const fields = (id: string, names: readonly string[], own: Partial<Record<string, Exemption>> | undefined) => {
    const all = { ...own };
    for (const n of names) {
      if (all[n] === undefined && marks.has(at.field(id, n))) {
        all[n] = marks.get(at.field(id, n));
        changed = true;
      }
    }
    const set = Object.entries(all).filter(([, e]) => e !== undefined);
    return set.length > 0 ? Object.fromEntries(set) : undefined;
  };
  const appendix = (a: Appendix): Appendix => {
    changed = false;
    const marked = markAppendix(a);
    return changed ? marked : a;
  };
  const markAppendix = (a: Appendix): Appendix => {
    const marked = mark(a, at.appendix(a.key));
    switch (marked.kind) {
      case 'chronology':
        return { ...marked, dates: marked.dates.map((d): ChronologyDate => ({ ...d, entries: d.entries.map((e) => mark(e, at.item(e.id))) })) };
      case 'recommendations': {
        const item = (i: Recommendation): Recommendation => ({ ...mark(i, at.item(i.id)), exemptFields: fields(i.id, RECOMMENDATION_FIELDS, i.exemptFields) });
        return { ...marked, groups: marked.groups.map((g) => ({ ...mark(g, at.item(g.id)), items: g.items.map(item) })) };
      }
      case 'aspirations':
        return { ...marked, aspirations: marked.aspirations.map((x) => mark(x, at.item(x.id))) };
      case 'framework': {
        const body = (b: FrameworkBodyData): FrameworkBodyData => {
          const m = mark(b, at.item(b.id));
          const field = (name: (typeof BODY_FIELDS)[number]) => marks.get(at.field(b.id, name));
          return { ...m, chair: markField(m.chair, field('chair')), meets: markField(m.meets, field('meets')), role: markField(m.role, field('role')) };
        };
        return { ...marked, exemptFields: fields(marked.key, ['summary'], marked.exemptFields), bodies: marked.bodies.map(body) };
      }
      case 'scorecard': {
        const measure = (m: Measure): Measure => ({ ...mark(m, at.item(m.id)), exemptFields: fields(m.id, MEASURE_FIELDS, m.exemptFields) });
        return { ...marked, measures: marked.measures.map(measure) };
      }
    }
  };
  return { ...model, sections: model.sections.map((s) => mark(s, at.section(s.id))), appendices: model.appendices.map(appendix) };
}

/** The fields of a recommendation that may be exempt on their own. */
const RECOMMENDATION_FIELDS = ['reference', 'owner', 'measure', 'progress'] as const;
/** The fields of a measure that may be exempt on their own. */
const MEASURE_FIELDS = ['owner', 'commentary'] as const;

// ---- one version, for the public ----------------------------------------------------

/** A field emptied of its text, keeping its exemption so the view can say where it was. */
function emptied<T extends ExemptableText | undefined>(field: T): T {
  return (typeof field === 'object' ? { text: '', exempt: field.exempt } : field) as T;
}

/** A tally of what is left, saying whether anything was left out. */
function recount(all: StatusTally, shown: StatusTally): StatusTally {
  return shown.total < all.total ? { ...shown, withheld: true } : shown;
}

/** `recount` for each rating. */
function recountRatings(all: RatingTallies, items: Parameters<typeof tallyRatings>[0]): RatingTallies {
  const shown = tallyRatings(items, Object.keys(all));
  return Object.fromEntries(Object.entries(shown).map(([key, t]) => [key, recount(all[key]!, t)]));
}

/** `value` with every string in it rewritten; plain objects and arrays are copied, anything else kept. */
function rewriteText<T>(value: T, rewrite: (text: string) => string): T {
  if (typeof value === 'string') return rewrite(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => rewriteText(v, rewrite)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewriteText(v, rewrite)])) as T;
  }
  return value;
}

/** Makes the stand-in ids of withheld pieces: `exempt-1`, `exempt-2` … in report order. */
type StandIn = () => string;

/** An item's own number is the council's text; a number csi made from its place ("A2.1.3", "{group}.{n}") says only where it was. */
const placeNumber = (item: { number: string; ownNumber?: boolean | undefined }) => (item.ownNumber ? '' : item.number);

/**
 * The report as the public may see it. Every exempt piece (section, appendix,
 * group, item or field) is emptied of its content and status, and anything it
 * was known by (its id, key, title or own number) is replaced by a stand-in;
 * tallies count only what is left; text that refers to a withheld appendix refers
 * to its stand-in. Each piece keeps its place (and a number csi made from it) and
 * its `exempt` marker, so the view can say where it was left out. Pure.
 *
 * It runs before the view and the diff, so nothing built from the model (summaries,
 * charts, bookmarks, metadata, changes) can reach exempt content, whatever it reads.
 */
export function withholdExempt(model: ReportModel, memo?: WithholdMemo): ReportModel {
  let next = 0;
  const standIn = () => `exempt-${++next}`;
  const one = (a: Appendix) => withholdAppendix(a, standIn, model.meetingDate, model.statuses.status);
  // With no appendix or group exempt, nothing is rewritten: an appendix holding nothing exempt is withheld alike in every version.
  const rewrites = model.appendices.some((a) => a.exempt || ('groups' in a && a.groups.some((g) => g.exempt)));
  const remembered = (a: Appendix) => {
    if (!memo || rewrites || exemptionsIn({ ...model, sections: [], appendices: [a] }).size > 0) return one(a);
    let withheld = memo.get(a);
    if (!withheld) memo.set(a, (withheld = one(a)));
    return withheld;
  };
  const withheld = {
    ...model,
    sections: model.sections.map((s) => withholdSection(s, standIn, new Set(model.appendices.filter((a) => a.exempt).map((a) => a.key)))),
    appendices: model.appendices.map(remembered),
  };
  // A reference to a withheld appendix names it by its stand-in, so its key is gone too.
  const standIns = new Map(model.appendices.map((a, i): [string, string] => [a.key, withheld.appendices[i]!.key]).filter(([key, to]) => key !== to));
  // A count of a withheld appendix or group would be an exempt count: its notice is printed instead.
  const exemptCounts = new Map<string, Exemption>();
  for (const a of model.appendices) {
    if (a.exempt) exemptCounts.set(a.key, a.exempt);
    if ('groups' in a) for (const g of a.groups) if (g.exempt) exemptCounts.set(g.id, g.exempt);
  }
  if (standIns.size === 0 && exemptCounts.size === 0) return withheld;
  return rewriteText(withheld, (text) =>
    text
      .replace(APPENDIX_REFERENCE, (whole, key: string) => (standIns.has(key) ? `[[appendix:${standIns.get(key)}]]` : whole))
      .replace(COUNT_REFERENCE, (whole, what: string) => {
        const exempt = exemptCounts.get(what);
        return exempt ? `(${exemptNotice(exempt)})` : whole;
      }),
  );
}

/** One section as the public may see it. */
function withholdSection(s: Section, standIn: StandIn, exemptAppendices: ReadonlySet<string>): Section {
  if (s.exempt) {
    const base = { id: standIn(), title: WITHHELD_TITLE, exempt: s.exempt, number: s.number, label: s.label, numberedParagraphs: [], subsections: [] };
    return { ...base, kind: 'narrative', paragraphs: [] } as Section;
  }
  const numberedParagraphs = s.numberedParagraphs.map((p) => (p.exempt ? { ...p, text: '' } : p));
  switch (s.kind) {
    case 'narrative':
      return {
        ...s,
        numberedParagraphs,
        paragraphs: s.paragraphs.map(emptied),
        witnesses: s.witnesses?.map((w) => (w.exempt ? { name: '', role: '', exempt: w.exempt } : { ...w, organisation: emptied(w.organisation) })),
      };
    case 'recommendations':
      return { ...s, numberedParagraphs, recommendations: s.recommendations.map(emptied) };
    case 'progress':
    case 'trend':
      return { ...s, numberedParagraphs, paragraphs: s.paragraphs?.map(emptied) };
    case 'scorecard':
      // A scorecard placed from an exempt appendix is not shown, and its key is not kept.
      return { ...s, numberedParagraphs, paragraphs: s.paragraphs?.map(emptied), scorecard: exemptAppendices.has(s.scorecard) ? '' : s.scorecard };
    case 'implications':
      return {
        ...s,
        numberedParagraphs,
        subsections: s.subsections.map((sub) =>
          sub.exempt
            ? { title: WITHHELD_TITLE, exempt: sub.exempt, paragraphs: sub.paragraphs.map((p) => ({ ...p, text: '' })) }
            : { ...sub, paragraphs: sub.paragraphs.map((p) => (p.exempt ? { ...p, text: '' } : p)) },
        ),
        implications: s.implications.map((im) =>
          im.exempt ? { title: WITHHELD_TITLE, paragraphs: im.paragraphs.map(() => ''), exempt: im.exempt } : { ...im, paragraphs: im.paragraphs.map(emptied) },
        ),
      };
    case 'links':
      return { ...s, numberedParagraphs, links: s.links.map((l) => (l.exempt ? { title: '', url: '', exempt: l.exempt } : l)) };
    case 'contacts':
      return {
        ...s,
        numberedParagraphs,
        contacts: s.contacts.map((c) => (c.exempt ? { name: '', role: '', exempt: c.exempt } : { ...c, phone: emptied(c.phone), email: emptied(c.email) })),
      };
    default:
      return { ...s, numberedParagraphs };
  }
}

/**
 * One appendix as the public may see it. A withheld appendix's stand-in key is made
 * from its number, not its place among withheld pieces, so a reference to it reads
 * the same in two versions of the plan.
 */
function withholdAppendix(a: Appendix, standIn: StandIn, meetingDate: ReportModel['meetingDate'], vocabulary: Vocabulary): Appendix {
  if (a.exempt) {
    const head = { key: `exempt-appendix-${a.number}`, number: a.number, title: WITHHELD_TITLE, heading: WITHHELD_TITLE, exempt: a.exempt };
    return { ...head, kind: 'chronology', dates: [], first: meetingDate, last: meetingDate };
  }
  switch (a.kind) {
    case 'chronology': {
      const entry = (e: ChronologyDate['entries'][number]) => (e.exempt ? { id: standIn(), event: '', exempt: e.exempt } : e);
      return { ...a, dates: a.dates.map((d): ChronologyDate => ({ ...d, entries: d.entries.map(entry) })) };
    }
    case 'recommendations': {
      const groups = a.groups.map((g) => withholdGroup(g, standIn, vocabulary));
      const all = groups.flatMap((g) => g.items);
      const overdue = all.filter((i) => i.overdue).length;
      return { ...a, groups, tally: recount(a.tally, tally(all.map((i) => i.status))), ratingTallies: recountRatings(a.ratingTallies, all), overdue };
    }
    case 'aspirations': {
      const aspirations = a.aspirations.map((x) => (x.exempt ? { id: standIn(), number: placeNumber(x), text: '', exempt: x.exempt } : x));
      return { ...a, aspirations, tally: recount(a.tally, tally(aspirations.map((x) => x.status))) };
    }
    case 'framework': {
      // A body left out takes its own reporting lines with it; a line to it points at its stand-in.
      const ids = new Map(a.bodies.filter((b) => b.exempt).map((b) => [b.id, standIn()]));
      const bodies = a.bodies.map(
        (b): FrameworkBodyData =>
          b.exempt
            ? { id: ids.get(b.id)!, name: WITHHELD_TITLE, type: b.type, role: '', exempt: b.exempt }
            : { ...b, chair: emptied(b.chair), meets: emptied(b.meets), role: emptied(b.role), reports_to: undefined },
      );
      const lines = a.lines
        .filter((l) => !ids.has(l.from))
        .map((l) => ({ ...l, to: ids.get(l.to) ?? l.to, ...(l.exempt ? { what: '', frequency: '' } : {}) }));
      return { ...a, summary: a.exemptFields?.summary ? '' : a.summary, bodies, lines };
    }
    case 'scorecard': {
      // An exempt measure keeps only its place: no title, unit, figures, RAG or direction.
      const measures = a.measures.map(
        (m): Measure =>
          m.exempt
            ? { id: standIn(), title: '', unit: 'number', polarity: 'higher', figures: [], latest: undefined, comparators: [], exempt: m.exempt }
            : { ...m, owner: m.exemptFields?.owner ? '' : m.owner, commentary: m.exemptFields?.commentary ? '' : m.commentary },
      );
      const shown = tallyMeasures(measures.filter((m) => !m.exempt));
      return { ...a, measures, scorecardTally: shown.total < a.scorecardTally.total ? { ...shown, withheld: true } : shown };
    }
  }
}

/** One group of recommendations or actions as the public may see it. */
function withholdGroup(g: RecommendationGroup, standIn: StandIn, vocabulary: Vocabulary): RecommendationGroup {
  if (g.exempt) {
    const title = g.title === undefined ? undefined : WITHHELD_TITLE;
    return { id: standIn(), number: g.number, title, items: [], tally: recount(g.tally, tally([])), ratingTallies: recountRatings(g.ratingTallies, []), exempt: g.exempt };
  }
  const items = g.items.map((i): Recommendation =>
    i.exempt
      ? { id: standIn(), number: placeNumber(i), text: '', status: undefined, exempt: i.exempt }
      : {
          ...i,
          reference: i.exemptFields?.reference ? '' : i.reference,
          owner: i.exemptFields?.owner ? '' : i.owner,
          measure: i.exemptFields?.measure ? '' : i.measure,
          progress: i.exemptFields?.progress ? '' : i.progress,
        },
  );
  // A rating worked out from the items follows only the items the public sees.
  const rating = g.ratingWorkedOut ? worstStatus(vocabulary, items.map((i) => i.status)) : g.rating;
  return { ...g, rating, items, tally: recount(g.tally, tally(items.map((i) => i.status))), ratingTallies: recountRatings(g.ratingTallies, items) };
}

// ---- what a public build says about the data ----------------------------------------

/**
 * The problems and warnings a public build may print or put in its --json: one
 * positioned inside an exempt piece, or naming an exempt id or key, keeps its code
 * and position (file, line, column) but not its words, nor the line it would quote.
 * One that suggests an exempt name keeps all but the suggestion; one in a file that
 * does not read as YAML (where what is exempt cannot be told) all but the line. Pure.
 */
export function withholdProblems(problems: readonly CsiError[], places: ExemptPlaces, what: 'problem' | 'warning'): CsiError[] {
  const inside = (p: CsiError) => {
    const pos = p.position;
    return pos !== undefined && (places.lines.get(pos.file) ?? []).some((r) => pos.line >= r.first && pos.line <= r.last);
  };
  // In a file that does not read as YAML, what is exempt cannot be told: the message (csi's words) is kept, not the line.
  const unread = (p: CsiError) => p.position !== undefined && places.unread.has(p.position.file) && p.excerpt !== undefined;
  const names = [...places.names].map((n) => new RegExp(`(?<![\\w-])${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`));
  const naming = (text: string | undefined) => text !== undefined && names.some((n) => n.test(text));
  const hint = 'run csi validate, or build with --audience exempt, to read it';
  const position = (p: CsiError) => (p.position ? { position: p.position } : {});
  return problems.map((p) => {
    if (inside(p) || naming(p.message) || naming(p.excerpt)) {
      return new CsiError(`a ${what} in exempt information; its details are withheld from a public build`, { code: p.code, kind: p.kind, ...position(p), hint });
    }
    // A public mistake whose hint suggests an exempt name ("did you mean …?"): the mistake is told, not the name.
    if (unread(p)) return new CsiError(p.message, { code: p.code, kind: p.kind, ...position(p), path: p.path, hint: p.hint });
    if (naming(p.hint)) {
      const withheld = `the suggestion is withheld from a public build: ${hint}`;
      return new CsiError(p.message, { code: p.code, kind: p.kind, ...position(p), path: p.path, excerpt: p.excerpt, hint: withheld });
    }
    return p;
  });
}
