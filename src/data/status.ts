// A council's own status words: what an item's `status` (and each further rating)
// may be, how each reads and what it counts as. Set in csi.config.yaml; pure here.

/** What a status means for counting, whatever the council calls it. */
export const MEANINGS = ['done', 'on-course', 'off-course', 'not-started'] as const;
export type Meaning = (typeof MEANINGS)[number];

/** One word of a vocabulary. */
export interface StatusWord {
  /** What the data writes: `status: on-track`. */
  id: string;
  /** What the report prints: "On track". */
  label: string;
  /** How it reads inside a sentence: "2 on track". */
  inText: string;
  /** Text on white (and the bar in the charts). */
  colour: string;
  countsAs: Meaning;
}

/** The words one scale may use, in the order the report lists them. */
export type Vocabulary = readonly StatusWord[];

/** A further scale items are rated on, beside `status`: `ratings: { impact: green }`. */
export interface Rating {
  key: string;
  /** The column heading: "Impact". */
  label: string;
  vocabulary: Vocabulary;
}

/** Every scale a council's plan rates items on. */
export interface StatusScheme {
  status: Vocabulary;
  ratings: readonly Rating[];
  /**
   * Words an action's `due` may be instead of a date ("Ongoing", "Quarterly"): csi.config.yaml
   * `due_words`. Kept with the status words as the council's vocabulary the data is checked against.
   */
  dueWords?: readonly string[] | undefined;
}

/** A colour for each meaning, when a council's status names none (each 4.5:1 on white). */
export const MEANING_COLOURS: Record<Meaning, string> = {
  done: '#1e5e2f',
  'on-course': '#1d4f76',
  'off-course': '#8a1c1c',
  'not-started': '#4a4a4a',
};

/** "Partially met" reads "partially met" in a sentence; "NHS led" keeps its capitals. */
export function sentenceCase(label: string): string {
  return /^\p{Lu}[\p{Ll}\P{L}]/u.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label;
}

type WordSpec = { id: string; label: string; countsAs: Meaning; colour?: string; inText?: string };
const word = (w: WordSpec): StatusWord => ({
  id: w.id,
  label: w.label,
  inText: w.inText ?? sentenceCase(w.label),
  colour: w.colour ?? MEANING_COLOURS[w.countsAs],
  countsAs: w.countsAs,
});

/** Vocabularies shipped with csi, by the name csi.config.yaml gives them. */
export const PRESETS = {
  /** csi's own words, and the default. */
  progress: [
    word({ id: 'complete', label: 'Complete', countsAs: 'done' }),
    word({ id: 'on-track', label: 'On track', countsAs: 'on-course' }),
    word({ id: 'at-risk', label: 'At risk', countsAs: 'off-course' }),
    word({ id: 'not-started', label: 'Not started', countsAs: 'not-started' }),
  ],
  /** Red, Amber, Green, and Blue for done. */
  rag: [
    word({ id: 'blue', label: 'Blue', countsAs: 'done', colour: '#005ea5' }),
    word({ id: 'green', label: 'Green', countsAs: 'on-course', colour: '#00703c' }),
    word({ id: 'amber', label: 'Amber', countsAs: 'off-course', colour: '#a35200' }),
    word({ id: 'red', label: 'Red', countsAs: 'off-course', colour: '#d4351c' }),
  ],
} satisfies Record<string, Vocabulary>;
export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

/** A status as csi.config.yaml writes it. */
export interface StatusSetting {
  id: string;
  label: string;
  counts_as: Meaning;
  colour?: string | undefined;
  in_text?: string | undefined;
}

/** `statuses:` (or a rating's `statuses:`) in csi.config.yaml: a preset's name or a list. */
export type VocabularySetting = PresetName | readonly StatusSetting[];

/** The words a setting names. */
export function vocabularyOf(setting: VocabularySetting | undefined): Vocabulary {
  if (setting === undefined) return PRESETS.progress;
  if (typeof setting === 'string') return PRESETS[setting];
  return setting.map((s) => word({ id: s.id, label: s.label, countsAs: s.counts_as, colour: s.colour, inText: s.in_text }));
}

/** The scheme every plan has unless its config says otherwise: `progress`, no further ratings. */
export const DEFAULT_SCHEME: StatusScheme = { status: PRESETS.progress, ratings: [] };

/**
 * The worst of the given statuses: the one latest in the vocabulary's order among
 * those that count as most off course (off-course, then not-started, on-course, done).
 */
export function worstStatus(vocabulary: Vocabulary, ids: readonly (string | undefined)[]): string | undefined {
  const rank: Record<Meaning, number> = { done: 0, 'on-course': 1, 'not-started': 2, 'off-course': 3 };
  let worst: { id: string; score: number } | undefined;
  for (const id of ids) {
    if (id === undefined) continue;
    const at = vocabulary.findIndex((w) => w.id === id);
    const word = vocabulary[at];
    const score = word === undefined ? -1 : rank[word.countsAs] * 1000 + at;
    if (!worst || score > worst.score) worst = { id, score };
  }
  return worst?.id;
}

/** The word with this id, if the vocabulary has it. */
export function findWord(vocabulary: Vocabulary, id: string | undefined): StatusWord | undefined {
  return id === undefined ? undefined : vocabulary.find((w) => w.id === id);
}

/** How a status prints in a table: its label, or the id itself if the vocabulary lacks it. */
export function statusLabel(vocabulary: Vocabulary, id: string): string {
  return findWord(vocabulary, id)?.label ?? id;
}

/** How a status reads in a sentence: "on track". */
export function statusInText(vocabulary: Vocabulary, id: string): string {
  return findWord(vocabulary, id)?.inText ?? id;
}

/** The vocabulary a field of an item is checked against: `status`, or a rating's key. */
export function vocabularyFor(scheme: StatusScheme, field: string): Vocabulary | undefined {
  return field === 'status' ? scheme.status : scheme.ratings.find((r) => r.key === field)?.vocabulary;
}

const fold = (text: string) => text.trim().toLowerCase().replace(/[\s_]+/g, '-');

/**
 * The id a near miss was meant to be: one that differs only in case or spacing
 * from an id or a label ("Complete", "on track", "On Track", "Amber").
 */
export function meantWord(vocabulary: Vocabulary, written: string): StatusWord | undefined {
  const folded = fold(written);
  return vocabulary.find((w) => fold(w.id) === folded || fold(w.label) === folded);
}

/** Which way a status moved: the council's vocabulary lists its words best first. */
export type Direction = 'better' | 'same' | 'worse';

/** Better, the same or worse, by the order of the vocabulary; undefined where either word is not in it. */
export function direction(vocabulary: Vocabulary, from: string, to: string): Direction | undefined {
  const a = vocabulary.findIndex((w) => w.id === from);
  const b = vocabulary.findIndex((w) => w.id === to);
  if (a < 0 || b < 0) return undefined;
  return b < a ? 'better' : b > a ? 'worse' : 'same';
}
