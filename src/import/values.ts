import { parsePlanDate } from '../data/dates.js';
import { closest } from '../data/problems.js';
import { meantWord, PRESETS } from '../data/status.js';
import type { Vocabulary } from '../data/status.js';
import type { CellValue } from './workbook.js';

// A tracker cell's value as csi's data writes it: a status id, a due date, Markdown.
// Each returns the value, or why it cannot be read (the caller positions it).

/** Words trackers use for a status, beyond the vocabulary's own ids and labels. */
const STATUS_SYNONYMS: Record<string, string[]> = {
  done: ['complete', 'completed', 'done', 'closed', 'achieved', 'met'],
  'on-course': ['on track', 'on-track', 'in progress', 'ongoing', 'started'],
  'off-course': ['at risk', 'off track', 'delayed', 'behind'],
  'not-started': ['not started', 'not yet started', 'planned'],
};

/** The status id a cell's word stands for: an id or label (case and spacing forgiven), then a common synonym of its meaning. */
export function statusFrom(written: string, vocabulary: Vocabulary, extra: Readonly<Record<string, string>> = {}): string | { problem: string; hint: string } {
  const word = written.trim();
  const own = Object.entries(extra).find(([k]) => k.trim().toLowerCase() === word.toLowerCase());
  if (own) return own[1];
  const meant = meantWord(vocabulary, word);
  if (meant) return meant.id;
  const folded = word.toLowerCase().replace(/\s+/g, ' ');
  for (const [meaning, synonyms] of Object.entries(STATUS_SYNONYMS)) {
    const words = vocabulary.filter((w) => w.countsAs === meaning);
    if (words.length === 1 && synonyms.includes(folded)) return words[0]!.id;
  }
  const ids = vocabulary.map((w) => w.label);
  const near = closest(word, ids);
  // A tracker rated Red/Amber/Green against a plan still on csi's default words: say the one line that fits.
  const rag = PRESETS.rag.find((w) => w.label.toLowerCase() === folded);
  const preset = rag && !vocabulary.some((w) => w.id === rag.id) ? 'if the plan is rated Red, Amber and Green, set statuses: rag in csi.config.yaml; or ' : '';
  return {
    problem: `the status "${word}" is not one of the plan's words (${ids.join(', ')})`,
    hint: `${near ? `did you mean "${near}"? ` : ''}${preset}change the cell, or say what it means in the mapping file, e.g. statuses: { "${word}": ${vocabulary[0]!.id} }`,
  };
}

const pad = (n: number) => String(n).padStart(2, '0');
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** An Excel date serial (days since 30 December 1899) as a UTC date. */
function fromSerial(serial: number): Date {
  return new Date(Date.UTC(1899, 11, 30) + Math.round(serial) * 86_400_000);
}

/**
 * A due cell as the data writes it: YYYY-MM-DD, YYYY-MM, or one of the council's due
 * words ("Ongoing"). Reads Excel dates and serials, "31/03/2025", "March 2025",
 * "Q3 2025" (calendar quarters unless `quarters` is financial: Q1 is April–June).
 */
export function dueFrom(value: CellValue, dueWords: readonly string[], quarters: 'calendar' | 'financial'): string | { problem: string; hint: string } {
  if (value instanceof Date) return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
  if (typeof value === 'number' && value > 20000 && value < 80000) return dueFrom(fromSerial(value), dueWords, quarters);
  const text = String(value).trim();
  const word = dueWords.find((w) => w.toLowerCase() === text.toLowerCase());
  if (word) return word;
  const uk = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(text);
  if (uk) {
    const year = uk[3]!.length === 2 ? 2000 + Number(uk[3]) : Number(uk[3]);
    const iso = `${year}-${pad(Number(uk[2]))}-${pad(Number(uk[1]))}`;
    return typeof parsePlanDate(iso) === 'string' ? notADate(text, dueWords) : iso;
  }
  const month = /^([A-Za-z]{3,9})\.?,?\s+(\d{4})$/.exec(text);
  const m = month ? MONTHS.findIndex((name) => name.startsWith(month[1]!.toLowerCase())) : -1;
  if (month && m >= 0) return `${month[2]}-${pad(m + 1)}`;
  const quarter = /^Q([1-4])\s*(\d{4})(?:\/\d{2,4})?$/i.exec(text);
  if (quarter) {
    const q = Number(quarter[1]);
    const year = Number(quarter[2]);
    // The quarter's last month: calendar Q1 ends in March; financial Q1 (April–June) in June, Q4 in March of the next year.
    if (quarters === 'calendar') return `${year}-${pad(q * 3)}`;
    return q === 4 ? `${year + 1}-03` : `${year}-${pad(q * 3 + 3)}`;
  }
  if (typeof parsePlanDate(text) !== 'string') return text;
  return notADate(text, dueWords);
}

function notADate(text: string, dueWords: readonly string[]) {
  // A word ("Ongoing", "Quarterly") is how many plans give a due: the council lists its own.
  const word = /^[A-Za-z][A-Za-z -]*$/.test(text) ? `, or add "${text}" to due_words in csi.config.yaml` : '';
  return {
    problem: `"${text}" is not a due date csi reads`,
    hint: `write a date (31/03/2025), a month (March 2025), a quarter (Q3 2025)${dueWords.length ? ` or one of: ${dueWords.join(', ')}` : ''}${word}`,
  };
}

/** A bullet a cell starts a line with: typed, or pasted from Word. */
const BULLET = /^\s*[•◦▪‣·\-*–]\s+/;

/**
 * A cell's text as Markdown: lines that start with a bullet become a list, other line
 * breaks end paragraphs. One line stays as it is.
 */
export function markdownFrom(value: CellValue): string {
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
  const lines = text.replace(/\r\n?/g, '\n').split('\n').map((l) => l.replace(/\s+$/, '')).filter((l) => l.trim() !== '');
  if (lines.length <= 1) return (lines[0] ?? '').trim();
  const out: string[] = [];
  let inList = false;
  for (const line of lines) {
    const bullet = BULLET.test(line);
    if (bullet) {
      if (!inList && out.length > 0) out.push('');
      out.push(`- ${line.replace(BULLET, '').trim()}`);
    } else {
      if (out.length > 0) out.push('');
      out.push(line.trim());
    }
    inList = bullet;
  }
  return out.join('\n');
}
