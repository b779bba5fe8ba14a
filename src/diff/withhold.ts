import type { FieldValue, PlanItem, PlanItems } from './items.js';

// Exempt information withheld from both sides of a comparison, before it is made.
// For the public, a change is shown only if the item is public on both sides and
// nothing that holds it (section, appendix, group) is exempt on either side; a
// field exempt on either side is not compared. Exempt parts so give no heading,
// title, count, move or position. (Exempt text is already a notice in public items,
// and list entries that are exempt are left out as the lists are compared: see compare.ts.)

/** An item's fields without those exempt (as a whole) on either side. */
function publicFields(item: PlanItem, other: PlanItem): Record<string, FieldValue> {
  const exempt = (i: PlanItem, field: string) => {
    const part = i.exemptParts?.[field];
    return part !== undefined && !Array.isArray(part);
  };
  return Object.fromEntries(Object.entries(item.fields).filter(([field]) => !exempt(item, field) && !exempt(other, field)));
}

/**
 * The two versions of one item as the public may compare them: undefined when the
 * item is exempt (or inside something exempt) in either, else both with the fields
 * exempt in either left out. An item in one version only is public if it is there.
 */
export function withholdPair(
  before: PlanItem | undefined,
  after: PlanItem | undefined,
): { before: PlanItem | undefined; after: PlanItem | undefined } | undefined {
  if (before?.exempt || after?.exempt) return undefined;
  if (!before || !after) return { before, after };
  // Most items have no exempt field: nothing to leave out, nothing to copy.
  if (!before.exemptParts && !after.exemptParts) return { before, after };
  return { before: { ...before, fields: publicFields(before, after) }, after: { ...after, fields: publicFields(after, before) } };
}

/**
 * Both versions of the plan as the public may compare them: every item exempt in
 * either version is left out of both, with the heading of an appendix exempt in
 * either. Exempt-audience items are returned as they are. Pure.
 */
export function withholdBothSides(from: PlanItems, to: PlanItems): [PlanItems, PlanItems] {
  if (from.audience !== to.audience) throw new Error('both versions must be read for the same audience');
  if (to.audience === 'exempt') return [from, to];
  // A plan with nothing exempt on either side (most of a history) is compared as it is.
  const touched = (i: PlanItem) => i.exempt !== undefined || i.exemptParts !== undefined;
  if (!from.items.some(touched) && !to.items.some(touched)) return [from, to];
  const fromByKey = new Map(from.items.map((i) => [i.key, i]));
  const toByKey = new Map(to.items.map((i) => [i.key, i]));
  const withheld = new Set<string>();
  const kept = new Map<string, { before: PlanItem | undefined; after: PlanItem | undefined }>();
  for (const key of new Set([...fromByKey.keys(), ...toByKey.keys()])) {
    const pair = withholdPair(fromByKey.get(key), toByKey.get(key));
    if (pair) kept.set(key, pair);
    else withheld.add(key);
  }
  // An exempt appendix's items are withheld with it (each carries its exemption); so is its heading.
  const exemptCollections = new Set(
    [...fromByKey.values(), ...toByKey.values()].filter((i) => i.kind === 'appendix' && withheld.has(i.key)).map((i) => i.id),
  );
  const side = (items: PlanItems, which: 'before' | 'after'): PlanItems => ({
    ...items,
    items: items.items.flatMap((i) => {
      const item = kept.get(i.key)?.[which];
      return item ? [item] : [];
    }),
    collections: items.collections.filter((c) => !exemptCollections.has(c.id)),
  });
  return [side(from, 'before'), side(to, 'after')];
}
