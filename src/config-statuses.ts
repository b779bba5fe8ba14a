import { z } from 'zod';
import { ID_PATTERN } from './data/schema.js';
import { positionOf } from './data/yaml-source.js';
import type { PathSegment, YamlSource } from './data/yaml-source.js';
import { CsiError } from './errors.js';
import type { ErrorCode } from './errors.js';
import { MEANINGS, PRESET_NAMES, vocabularyOf } from './data/status.js';
import type { StatusScheme, Vocabulary, VocabularySetting } from './data/status.js';
import { contrastRatio, MIN_CONTRAST } from './view/branding.js';

// The `statuses` and `ratings` settings of csi.config.yaml: the council's own status
// words (see data/status.ts), checked with positions like the rest of the config.

/** Keys an item already has: a rating cannot take one of them. */
export const ITEM_KEYS = ['id', 'text', 'status', 'ratings', 'reference', 'owner', 'due', 'measure', 'progress', 'exempt'];

/** The zod schemas for `statuses` and `ratings`, built with config.ts's own text and colour schemas. */
export function statusSettings(text: z.ZodType<string>, colour: z.ZodType<string>) {
  const Id = z.string().regex(ID_PATTERN, 'an id uses lower-case letters, digits and hyphens, e.g. "partly-met"');
  const Status = z.strictObject({
    id: Id.describe('What the data writes: status: ID.'),
    label: text.describe('What the report prints: tables, charts, the diff.'),
    counts_as: z.enum(MEANINGS).describe('What it counts as: done, on-course, off-course or not-started.'),
    colour: colour.optional().describe('Its colour (#rgb or #rrggbb, 4.5:1 on white). Default: one for what it counts as.'),
    in_text: text.optional().describe('How it reads in a sentence, e.g. "partially met". Default: the label, first letter in lower case.'),
  });
  const Vocabulary = z
    .union([z.enum(PRESET_NAMES), z.array(Status).min(1)])
    .describe(`A preset (${PRESET_NAMES.join(' or ')}) or a list of statuses, in the order the report lists them.`);
  const Rating = z.strictObject({
    key: Id.describe('What the data writes: ratings: { KEY: ID }.'),
    label: text.describe('The column heading in the appendix tables.'),
    statuses: Vocabulary,
  });
  return {
    statuses: Vocabulary.describe(`What an item's status may be: a preset (${PRESET_NAMES.join(' or ')}) or your own list. Default: progress`),
    ratings: z.array(Rating).min(1).describe('Further scales an item is rated on beside its status, each with its own words.'),
  };
}

/** The two settings as config.ts has read them. */
export interface StatusSettings {
  statuses?: VocabularySetting | undefined;
  ratings?: readonly { key: string; label: string; statuses: VocabularySetting }[] | undefined;
}

/**
 * The council's scheme, from its settings. A colour named in `colours` after one of
 * the default statuses (complete, on-track …) still colours the status with that id.
 */
export function schemeOf(settings: StatusSettings, colours: Readonly<Record<string, string | undefined>> = {}): StatusScheme {
  const recolour = (v: Vocabulary): Vocabulary => v.map((w) => (colours[w.id] ? { ...w, colour: colours[w.id]! } : w));
  return {
    status: recolour(vocabularyOf(settings.statuses)),
    ratings: (settings.ratings ?? []).map((r) => ({ key: r.key, label: r.label, vocabulary: recolour(vocabularyOf(r.statuses)) })),
  };
}

/** Mistakes the schema cannot see: an id or key used twice, a rating key an item already has, a faint colour. */
export function statusSchemeProblems(source: YamlSource, settings: StatusSettings): CsiError[] {
  const problems: CsiError[] = [];
  const fail = (code: ErrorCode, message: string, path: PathSegment[], hint?: string) =>
    problems.push(new CsiError(message, { code, position: positionOf(source, path), path: path.join('.'), ...(hint ? { hint } : {}) }));
  const checkList = (setting: VocabularySetting | undefined, at: PathSegment[]) => {
    if (setting === undefined || typeof setting === 'string') return;
    const seen = new Set<string>();
    for (const [i, s] of setting.entries()) {
      if (seen.has(s.id)) fail('DUPLICATE_ID', `status "${s.id}" is listed twice`, [...at, i, 'id'], 'each status needs its own id');
      seen.add(s.id);
      if (s.colour && contrastRatio(s.colour, '#ffffff') < MIN_CONTRAST) {
        const ratio = contrastRatio(s.colour, '#ffffff').toFixed(1);
        fail('LOW_CONTRAST', `status "${s.id}" colour ${s.colour} has a contrast of ${ratio}:1 on white; text needs at least ${MIN_CONTRAST}:1`,
          [...at, i, 'colour'], 'choose a darker colour; the report must meet WCAG 2.2 AA');
      }
    }
  };
  checkList(settings.statuses, ['statuses']);
  const keys = new Set<string>();
  for (const [i, r] of (settings.ratings ?? []).entries()) {
    if (ITEM_KEYS.includes(r.key)) {
      fail('INVALID_VALUE', `"${r.key}" is already a key of every item; a rating needs a key of its own`, ['ratings', i, 'key'],
        `name it after what it rates, e.g. "impact"`);
    } else if (keys.has(r.key)) {
      fail('DUPLICATE_ID', `rating "${r.key}" is listed twice`, ['ratings', i, 'key']);
    }
    keys.add(r.key);
    checkList(r.statuses, ['ratings', i, 'statuses']);
  }
  return problems;
}
