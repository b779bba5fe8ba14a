#!/usr/bin/env node
// @ts-check
/**
 * Synthetic plans for benchmarks: `npm run gen -- --scale N [--out DIR] [--seed S] [--revise]`.
 *
 * Scale 1 is the seed plan in data/. Scale N keeps it and adds N-1 synthetic copies of
 * every chronology entry, recommendation group (with its items) and aspiration, so item
 * counts grow exactly N-fold. Synthetic text is drawn from a word chain trained on the
 * seed's own text, each item as long as a randomly chosen seed item of the same kind.
 * The framework grows more slowly (10 bodies per tenfold): its diagram draws each tier
 * in one row, and no council has hundreds of governance bodies.
 *
 * `--revise` writes the next version of the same plan, for `csi diff`: some statuses
 * change, some items are reworded, a few are removed and a few added.
 *
 * The same scale and seed always give the same bytes. Files stay under csi's 1 MiB
 * cap: a big appendix is split into parts ("… (part 2)"), each its own appendix.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import YAML from 'yaml';

/** The seed plan the synthetic ones grow from. */
export const SEED_DIR = fileURLToPath(new URL('../data/', import.meta.url));

/** Split an appendix into parts above this many bytes of YAML (csi refuses files over 1 MiB). */
const PART_BYTES = 400_000;

const STATUSES = /** @type {const} */ (['complete', 'on-track', 'at-risk', 'not-started']);
const STATUS_WEIGHTS = [0.55, 0.25, 0.12, 0.08];

// ---- randomness ------------------------------------------------------------

/** A small, fast PRNG (mulberry32) seeded from a string, so output is reproducible. */
export function randomFrom(seed) {
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  let a = h >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    /** @param {number} n */
    int: (n) => Math.floor(next() * n),
    /** @template T @param {readonly T[]} items @returns {T} */
    pick: (items) => items[Math.floor(next() * items.length)],
    /** @param {number} p */
    chance: (p) => next() < p,
  };
}

/** @typedef {ReturnType<typeof randomFrom>} Random */

/** @param {Random} rng */
function status(rng) {
  let r = rng.next();
  for (const [i, w] of STATUS_WEIGHTS.entries()) {
    if ((r -= w) < 0) return STATUSES[i];
  }
  return STATUSES[0];
}

// ---- text ------------------------------------------------------------------

/**
 * A word chain over the seed's sentences: each word maps to the words seen after it.
 * Walking it gives text with the seed's vocabulary and rhythm ("Ensure that managers
 * provide robust oversight of safeguarding practice …").
 * @param {string[]} texts
 */
function wordChain(texts) {
  /** @type {Map<string, string[]>} */
  const next = new Map();
  const starts = [];
  for (const text of texts) {
    // Markdown and cross-references stay out of synthetic text.
    const words = text.replace(/\[\[[^\]]*\]\]|[*_`[\]<>#]/g, '').split(/\s+/).filter(Boolean);
    if (words.length === 0) continue;
    starts.push(words[0]);
    for (let i = 0; i < words.length - 1; i++) {
      const list = next.get(words[i]) ?? [];
      list.push(words[i + 1]);
      next.set(words[i], list);
    }
  }
  return {
    /** @param {Random} rng @param {number} length how many words */
    text(rng, length) {
      const words = [rng.pick(starts)];
      while (words.length < length) {
        const options = next.get(words[words.length - 1]);
        words.push(options ? rng.pick(options) : rng.pick(starts));
      }
      const text = words.join(' ').replace(/[\s,;:–-]+$/, '');
      return text.charAt(0).toUpperCase() + text.slice(1);
    },
  };
}

/** @param {string} text */
const wordCount = (text) => text.split(/\s+/).filter(Boolean).length;

// ---- dates -----------------------------------------------------------------

const DAY_MS = 86_400_000;

/** @param {string} iso YYYY-MM or YYYY-MM-DD */
function dayNumber(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) / DAY_MS;
}

/** @param {number} day */
const isoDate = (day) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/**
 * Sort key for a plan date: its start, where a month sorts before its days, as csi's
 * chronology order check wants ("2014-04" < "2014-04-15").
 * @param {string} date
 */
const dateKey = (date) => date.split('/')[0] ?? date;

// ---- the plan --------------------------------------------------------------

/**
 * @typedef {{ name: string, data: any }} Appendix
 * @typedef {{ scale: number, seed?: string, revise?: boolean, seedFiles?: Map<string, string> }} GenerateOptions
 */

/** Reads the seed plan's YAML files as text, by name. */
export async function readSeed(dir = SEED_DIR) {
  const files = new Map();
  for (const name of (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort()) {
    files.set(name, await readFile(join(dir, name), 'utf8'));
  }
  return files;
}

/** Every piece of text a kind of item holds in the seed, for the word chain and lengths. */
function seedTexts(appendices) {
  const texts = { event: [], recommendation: [], aspiration: [], role: [], title: [] };
  for (const { data } of appendices) {
    if (data.kind === 'chronology') texts.event.push(...data.entries.map((e) => e.event));
    if (data.kind === 'recommendations') {
      for (const g of data.groups) {
        if (g.title) texts.title.push(g.title);
        texts.recommendation.push(...g.items.map((i) => i.text));
      }
    }
    if (data.kind === 'aspirations') texts.aspiration.push(...data.aspirations.map((a) => a.text));
    if (data.kind === 'framework') texts.role.push(...data.bodies.map((b) => b.role));
  }
  return texts;
}

const AREAS = ['North', 'South', 'East', 'West', 'Central', 'Dearne', 'Penistone', 'Royston', 'Wombwell', 'Hoyland'];
const BODY_KINDS = [
  { name: 'Locality Practice Group', type: 'group' },
  { name: 'Quality Assurance Panel', type: 'panel' },
  { name: 'Early Help Partnership', type: 'partnership' },
  { name: 'Performance Board', type: 'board' },
];

/**
 * Generates a plan `scale` times the seed. Returns the data files, name → YAML text.
 * @param {GenerateOptions} options
 * @returns {Promise<Map<string, string>>}
 */
export async function generate(options) {
  const scale = Math.max(1, Math.floor(options.scale));
  const seedFiles = options.seedFiles ?? (await readSeed());
  if (scale === 1 && !options.revise) return new Map(seedFiles);
  const rng = randomFrom(`${options.seed ?? 'csi'}:${scale}`);

  const reportDoc = YAML.parseDocument(seedFiles.get('report.yaml') ?? '');
  const meetingDay = dayNumber(String(reportDoc.get('meeting_date')));
  /** @type {Appendix[]} */
  const appendices = [];
  for (const [name, text] of seedFiles) {
    if (name === 'report.yaml' || name === 'glossary.yaml') continue;
    appendices.push({ name, data: YAML.parse(text) });
  }
  const texts = seedTexts(appendices);
  const chain = wordChain(Object.values(texts).flat());
  /** @param {string[]} like */
  const textLike = (like) => chain.text(rng, Math.max(3, wordCount(rng.pick(like))));

  for (const { data } of appendices) {
    switch (data.kind) {
      case 'chronology': {
        const first = dayNumber(dateKey(data.entries[0].date));
        const added = [];
        for (let k = 2; k <= scale; k++) {
          for (const entry of data.entries) {
            const day = first + rng.int(meetingDay - first);
            added.push({ id: `${entry.id}-x${k}`, date: isoDate(day), event: textLike(texts.event) });
          }
        }
        // Stable sort: at the same key the seed's entries come first.
        data.entries = [...data.entries, ...added].sort((a, b) => (dateKey(a.date) < dateKey(b.date) ? -1 : dateKey(a.date) > dateKey(b.date) ? 1 : 0));
        break;
      }
      case 'recommendations': {
        const groups = [...data.groups];
        for (let k = 2; k <= scale; k++) {
          for (const group of data.groups) {
            groups.push({
              id: `${group.id}-x${k}`,
              ...(group.title ? { title: `${group.title} – review ${k}` } : {}),
              items: group.items.map((item) => ({
                id: `${item.id}-x${k}`,
                status: status(rng),
                ...(item.reference ? { reference: `Para ${1 + rng.int(9)}.${1 + rng.int(9)}` } : {}),
                ...(item.owner ? { owner: item.owner } : {}),
                text: textLike(texts.recommendation),
              })),
            });
          }
        }
        data.groups = groups;
        break;
      }
      case 'aspirations': {
        const added = [];
        for (let k = 2; k <= scale; k++) {
          for (const a of data.aspirations) {
            added.push({ id: `${a.id}-x${k}`, text: textLike(texts.aspiration), ...(rng.chance(0.7) ? { status: status(rng) } : {}) });
          }
        }
        data.aspirations = [...data.aspirations, ...added];
        break;
      }
      case 'framework': {
        const extra = scale === 1 ? 0 : Math.round(10 * Math.log10(scale));
        const seedBodies = [...data.bodies];
        const meets = seedBodies.map((b) => b.meets).filter(Boolean);
        const frequencies = seedBodies.flatMap((b) => (b.reports_to ?? []).map((l) => l.frequency));
        for (let k = 1; k <= extra; k++) {
          const kind = rng.pick(BODY_KINDS);
          const to = rng.pick(seedBodies);
          data.bodies.push({
            id: `body-x${k}`,
            name: `${AREAS[(k - 1) % AREAS.length]} ${kind.name}${k > AREAS.length ? ` ${Math.ceil(k / AREAS.length)}` : ''}`,
            type: kind.type,
            meets: rng.pick(meets),
            role: textLike(texts.role),
            reports_to: [{ body: to.id, what: chain.text(rng, 4), frequency: rng.pick(frequencies) }],
          });
        }
        break;
      }
    }
  }

  if (options.revise) revise(appendices, randomFrom(`${options.seed ?? 'csi'}:${scale}:revise`), chain, texts);

  // Split what would be too big for one file, and list every part in report.yaml.
  const files = new Map();
  const keys = [];
  for (const { name, data } of appendices) {
    const parts = split(data);
    for (const [p, part] of parts.entries()) {
      files.set(p === 0 ? name : name.replace(/\.ya?ml$/, `-part-${p + 1}.yaml`), stringify(part));
      keys.push({ after: data.key, key: part.key });
    }
  }
  const listed = /** @type {string[]} */ (reportDoc.toJS().appendices ?? []);
  reportDoc.set('appendices', listed.flatMap((key) => [key, ...keys.filter((k) => k.after === key && k.key !== key).map((k) => k.key)]));
  files.set('report.yaml', reportDoc.toString({ lineWidth: 100 }));
  if (seedFiles.has('glossary.yaml')) files.set('glossary.yaml', seedFiles.get('glossary.yaml'));
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}

/** @param {any} data */
function stringify(data) {
  return YAML.stringify(data, { lineWidth: 100, aliasDuplicateObjects: false });
}

/** The list that makes an appendix big. */
const LIST = { chronology: 'entries', recommendations: 'groups', aspirations: 'aspirations', framework: 'bodies' };

/** Splits an appendix into parts of at most PART_BYTES of YAML each (the first keeps its key). */
function split(data) {
  const bytes = Buffer.byteLength(stringify(data));
  const list = LIST[/** @type {keyof typeof LIST} */ (data.kind)];
  const count = data.kind === 'framework' ? 1 : Math.ceil(bytes / PART_BYTES);
  if (count <= 1) return [data];
  const items = data[list];
  const size = Math.ceil(items.length / count);
  return Array.from({ length: count }, (_, p) => ({
    ...data,
    ...(p === 0 ? {} : { key: `${data.key}-part-${p + 1}`, title: `${data.title} (part ${p + 1})`, heading: `${data.heading ?? data.title} (part ${p + 1})` }),
    [list]: items.slice(p * size, (p + 1) * size),
  }));
}

/**
 * The next version of a plan: about 5% of recommendations change status, 2% of items
 * are reworded, 1% removed and 1% added, as a quarter's work on a real plan might.
 */
function revise(appendices, rng, chain, texts) {
  let added = 0;
  const reword = (like) => chain.text(rng, Math.max(3, wordCount(rng.pick(like))));
  for (const { data } of appendices) {
    if (data.kind === 'chronology') {
      const kept = data.entries.filter(() => !rng.chance(0.01));
      for (const e of kept) if (rng.chance(0.02)) e.event = reword(texts.event);
      const last = kept[kept.length - 1];
      const extra = Math.ceil(kept.length * 0.01);
      for (let i = 0; i < extra; i++) kept.push({ id: `chr-new-${++added}`, date: last.date, event: reword(texts.event) });
      data.entries = kept;
    }
    if (data.kind === 'recommendations') {
      for (const group of data.groups) {
        const kept = group.items.filter((_, i) => i === 0 || !rng.chance(0.01));
        for (const item of kept) {
          if (rng.chance(0.05)) item.status = STATUSES[(STATUSES.indexOf(item.status) + 1 + rng.int(3)) % 4];
          if (rng.chance(0.02)) item.text = reword(texts.recommendation);
        }
        if (rng.chance(0.1)) kept.push({ id: `action-new-${++added}`, status: 'not-started', text: reword(texts.recommendation) });
        group.items = kept;
      }
    }
    if (data.kind === 'aspirations') {
      const kept = data.aspirations.filter((_, i) => i === 0 || !rng.chance(0.01));
      for (const a of kept) if (rng.chance(0.02)) a.text = reword(texts.aspiration);
      const extra = Math.ceil(kept.length * 0.01);
      for (let i = 0; i < extra; i++) kept.push({ id: `aspiration-new-${++added}`, text: reword(texts.aspiration), status: 'not-started' });
      data.aspirations = kept;
    }
  }
}

/** Writes a generated plan into `dir`, replacing any YAML files already there. */
export async function writePlan(dir, files) {
  await mkdir(dir, { recursive: true });
  for (const name of (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n))) await rm(join(dir, name));
  for (const [name, text] of files) await writeFile(join(dir, name), text);
}

async function cli() {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: '10' },
      out: { type: 'string' },
      seed: { type: 'string', default: 'csi' },
      revise: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write('usage: npm run gen -- --scale N [--out DIR] [--seed S] [--revise]\n');
    return;
  }
  const scale = Number(values.scale);
  if (!Number.isInteger(scale) || scale < 1) throw new Error(`--scale must be a whole number ≥ 1, not "${values.scale}"`);
  const out = values.out ?? join('generated', `scale-${scale}${values.revise ? '-revised' : ''}`);
  const files = await generate({ scale, seed: values.seed, revise: values.revise });
  await writePlan(out, files);
  const bytes = [...files.values()].reduce((n, t) => n + Buffer.byteLength(t), 0);
  process.stdout.write(`wrote ${files.size} files (${(bytes / 1024).toFixed(0)} KiB) to ${out}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  cli().catch((error) => {
    process.stderr.write(`gen: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  });
}
