import type { ReportModel } from './report.js';

// What a reference in the text finds in one version of the plan: the report (view/view.ts)
// links and prints it, a diff (diff/items.ts) reads it as its printed words. Both read the
// model the withhold stage made for their audience, so a public count leaves exempt items out.

/** The number of a section's Nth paragraph (1-based), as printed, with its anchor; undefined if there is none. */
export function paragraphNumber(model: Pick<ReportModel, 'sections'>, sectionId: string, n: number): { number: string; anchor: string | undefined } | undefined {
  const section = model.sections.find((s) => s.id === sectionId);
  const paragraphs = section ? [...section.numberedParagraphs, ...section.subsections.flatMap((sub) => sub.paragraphs)] : [];
  const p = Number.isInteger(n) && n >= 1 ? paragraphs[n - 1] : undefined;
  if (!p || !p.number) return undefined;
  return { number: p.number, anchor: /^\d/.test(p.number) ? `para-${p.number}` : undefined };
}

/**
 * A count from the data, of what this build shows: the items of every appendix (`all`), of
 * one appendix or of one group, with one status when asked. A public build's tallies leave
 * exempt items out, so a count never reveals one.
 */
export function countOf(model: { appendices: readonly object[] }, what: string, status: string | undefined): number | undefined {
  type Tallied = { key: string; tally: { total: number; counts: Record<string, number> }; groups?: { id: string; tally: Tallied['tally'] }[] };
  const tallies = (model.appendices as Partial<Tallied>[]).flatMap((a) => {
    if (!a.tally) return [];
    if (what === 'all' || a.key === what) return [a.tally];
    return a.groups ? a.groups.filter((g) => g.id === what).map((g) => g.tally) : [];
  });
  if (tallies.length === 0 && what !== 'all') return undefined;
  return tallies.reduce((n, t) => n + (status === undefined ? t.total : t.counts[status] ?? 0), 0);
}
