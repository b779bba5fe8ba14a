import { summarySentence } from './compare.js';
import type { FieldChange, ItemChange, Place } from './compare.js';
import type { PlanChange } from './plan-change.js';
import type { PlanSide } from './source.js';
import { exemptNotice } from '../model/exempt.js';
import type { Exemption } from '../model/exempt.js';

// `csi diff --format json`. The shape is documented in docs/reference/diff-json.md and is a
// contract: add keys, never rename or remove them.

function side(s: PlanSide) {
  return {
    source: s.source,
    name: s.name,
    location: s.location,
    ...(s.commit === undefined ? {} : { commit: s.commit, date: s.date, author: s.author, subject: s.subject }),
    meetingDate: s.meetingDate,
  };
}

/** Where an item is, in JSON. */
export function placeJson(p: Place) {
  return {
    collection: p.collection,
    ...(p.group === undefined ? {} : { group: p.group }),
    file: p.file,
    label: p.label,
    position: p.position,
  };
}

/** `{ paragraph, notice }` for a change that touches exempt information (exempt audience only). */
export function exemptJson(e: Exemption | undefined) {
  return e ? { exempt: { paragraph: e.paragraph, notice: exemptNotice(e) } } : {};
}

function head(e: ItemChange) {
  return {
    id: e.id,
    kind: e.kind,
    collection: e.place.collection,
    ...(e.place.group === undefined ? {} : { group: e.place.group }),
    file: e.place.file,
    label: e.place.label,
    ...exemptJson(e.exempt),
  };
}

/** One field change, in JSON. */
export function fieldJson(f: FieldChange) {
  return {
    field: f.field,
    from: f.from,
    to: f.to,
    ...(f.words ? { words: f.words.map((w) => ({ op: w.op, text: w.text })) } : {}),
    ...(f.list
      ? {
          list: f.list.map((p) => ({
            op: p.op,
            ...(p.from === undefined ? {} : { from: p.from }),
            ...(p.to === undefined ? {} : { to: p.to }),
            ...(p.text === undefined ? {} : { text: p.text }),
            ...(p.words ? { words: p.words.map((w) => ({ op: w.op, text: w.text })) } : {}),
          })),
        }
      : {}),
  };
}

/** The change as the documented JSON object. Every list is in report order. */
export function toJson(change: PlanChange) {
  const added = change.entries.filter((e) => e.change === 'added');
  const removed = change.entries.filter((e) => e.change === 'removed');
  const moved = change.entries.filter((e) => e.movedFrom);
  const changed = change.entries.filter((e) => e.change === 'changed' && e.fields.length > 0);
  return {
    from: side(change.from),
    to: side(change.to),
    audience: change.audience,
    identical: change.entries.length === 0,
    summary: {
      text: summarySentence(change.summary),
      parts: change.summary.map((p) => ({
        change: p.change,
        noun: p.noun,
        count: p.count,
        ...(p.status ? { status: p.status } : {}),
        ...(p.was ? { was: p.was } : {}),
      })),
      regressions: change.summary.filter((p) => p.change === 'regressed').reduce((n, p) => n + p.count, 0),
      ...(change.travel ? { travel: change.travel } : {}),
    },
    counts: { added: added.length, removed: removed.length, moved: moved.length, changed: changed.length },
    added: added.map((e) => ({ ...head(e), value: e.value ?? {} })),
    removed: removed.map((e) => ({ ...head(e), value: e.value ?? {} })),
    moved: moved.map((e) => ({ ...head(e), from: placeJson(e.movedFrom!), to: placeJson(e.place) })),
    changed: changed.map((e) => ({ ...head(e), fields: e.fields.map(fieldJson) })),
  };
}

/** `csi diff --format json` output: two-space indented, one trailing newline. */
export function formatJson(change: PlanChange): string {
  return `${JSON.stringify(toJson(change), null, 2)}\n`;
}
