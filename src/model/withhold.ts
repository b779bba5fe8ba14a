import { APPENDIX_REFERENCE } from '../data/checks.js';
import type { ExemptableText, FrameworkBodyData } from '../data/schema.js';
import type { Audience } from './exempt.js';
import type { Appendix, ChronologyDate, RatingTallies, Recommendation, RecommendationGroup, ReportModel, Section, StatusTally } from './report.js';
import { tally, tallyRatings } from './report.js';
import { tallyMeasures } from './scorecard.js';
import type { Measure } from './scorecard.js';

/** What a public build calls a section, appendix or group it has left out. */
export const WITHHELD_TITLE = 'Exempt information';

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

/** The report as one audience may see it: what the view is built from, and all it is given. */
export type AudienceModel = ReportModel & { audience: Audience };

/**
 * The withhold stage. The public gets the report with every exempt piece left out
 * (withholdExempt); members and officers get all of it, which the view marks as exempt.
 */
export function withhold(model: ReportModel, audience: Audience): AudienceModel {
  return { ...(audience === 'public' ? withholdExempt(model) : model), audience };
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

/**
 * The report as the public may see it. Every exempt piece (section, appendix,
 * group, item or field) is emptied of its content and status, and anything it
 * was known by (its id, key or title) is replaced by a stand-in; tallies count
 * only what is left; text that refers to a withheld appendix refers to its stand-in.
 * Each piece keeps its number and its `exempt` marker, so the view can say where it
 * was left out. Pure.
 *
 * It runs before the view, so nothing built from the model (summaries, charts,
 * bookmarks, metadata) can reach exempt content, whatever it reads.
 */
export function withholdExempt(model: ReportModel): ReportModel {
  let next = 0;
  const standIn = () => `exempt-${++next}`;
  const exemptAppendices = new Set(model.appendices.filter((a) => a.exempt).map((a) => a.key));

  const section = (s: Section): Section => {
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
          witnesses: s.witnesses?.map((w) =>
            w.exempt ? { name: '', role: '', exempt: w.exempt } : { ...w, organisation: emptied(w.organisation) },
          ),
        };
      case 'recommendations':
        return { ...s, numberedParagraphs, recommendations: s.recommendations.map(emptied) };
      case 'progress':
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
          contacts: s.contacts.map((c) =>
            c.exempt ? { name: '', role: '', exempt: c.exempt } : { ...c, phone: emptied(c.phone), email: emptied(c.email) },
          ),
        };
      default:
        return { ...s, numberedParagraphs };
    }
  };

  const appendix = (a: Appendix): Appendix => {
    if (a.exempt) {
      const head = { key: standIn(), number: a.number, title: WITHHELD_TITLE, heading: WITHHELD_TITLE, exempt: a.exempt };
      return { ...head, kind: 'chronology', dates: [], first: model.meetingDate, last: model.meetingDate };
    }
    switch (a.kind) {
      case 'chronology':
        return {
          ...a,
          dates: a.dates.map(
            (d): ChronologyDate => ({
              ...d,
              entries: d.entries.map((e) => (e.exempt ? { id: standIn(), event: '', exempt: e.exempt } : e)),
            }),
          ),
        };
      case 'recommendations': {
        const groups = a.groups.map((g): RecommendationGroup => {
          if (g.exempt) {
            const title = g.title === undefined ? undefined : WITHHELD_TITLE;
            return {
              id: standIn(),
              number: g.number,
              title,
              items: [],
              tally: recount(g.tally, tally([])),
              ratingTallies: recountRatings(g.ratingTallies, []),
              exempt: g.exempt,
            };
          }
          const items = g.items.map((i): Recommendation =>
            i.exempt
              ? { id: standIn(), number: i.number, text: '', status: undefined, exempt: i.exempt }
              : {
                  ...i,
                  reference: i.exemptFields?.reference ? '' : i.reference,
                  owner: i.exemptFields?.owner ? '' : i.owner,
                  measure: i.exemptFields?.measure ? '' : i.measure,
                  progress: i.exemptFields?.progress ? '' : i.progress,
                },
          );
          return { ...g, items, tally: recount(g.tally, tally(items.map((i) => i.status))), ratingTallies: recountRatings(g.ratingTallies, items) };
        });
        const all = groups.flatMap((g) => g.items);
        return { ...a, groups, tally: recount(a.tally, tally(all.map((i) => i.status))), ratingTallies: recountRatings(a.ratingTallies, all) };
      }
      case 'aspirations': {
        const aspirations = a.aspirations.map((x) => (x.exempt ? { id: standIn(), number: x.number, text: '', exempt: x.exempt } : x));
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
              : {
                  ...m,
                  owner: m.exemptFields?.owner ? '' : m.owner,
                  commentary: m.exemptFields?.commentary ? '' : m.commentary,
                },
        );
        const shown = tallyMeasures(measures.filter((m) => !m.exempt));
        return { ...a, measures, scorecardTally: shown.total < a.scorecardTally.total ? { ...shown, withheld: true } : shown };
      }
    }
  };

  const withheld = { ...model, sections: model.sections.map(section), appendices: model.appendices.map(appendix) };
  // A reference to a withheld appendix names it by its stand-in, so its key is gone too.
  const standIns = new Map(model.appendices.map((a, i): [string, string] => [a.key, withheld.appendices[i]!.key]).filter(([key, to]) => key !== to));
  if (standIns.size === 0) return withheld;
  return rewriteText(withheld, (text) =>
    text.replace(APPENDIX_REFERENCE, (whole, key: string) => (standIns.has(key) ? `[[appendix:${standIns.get(key)}]]` : whole)),
  );
}
