/**
 * Plan dates: `YYYY-MM-DD`, `YYYY-MM` where only the month is known, or a range
 * `START/END` of either ("Apr/May 2014" is `2014-04/2014-05`).
 */
export interface PlanDay {
  year: number;
  month: number;
  day?: number;
}

export interface PlanDate {
  start: PlanDay;
  end?: PlanDay;
}

const DAY = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/;

const MONTHS_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTHS_LONG = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The ISO form of a date written another common way (16/07/2024, 16 July 2024, July 2024),
 * if it is one; an empty `iso` for one of those forms that is no real date (31/02/2024).
 */
function isoFormOf(text: string): { iso: string; meaning?: string } | undefined {
  const pad = (n: number) => String(n).padStart(2, '0');
  const numeric = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text.trim());
  if (numeric) {
    const [a, b, year] = [Number(numeric[1]), Number(numeric[2]), Number(numeric[3])];
    // Day first, as in the UK, unless only the other way makes a date (07/16/2024).
    const [day, month] = a > 12 || b <= 12 ? [a, b] : [b, a];
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return { iso: '' };
    const iso = `${year}-${pad(month)}-${pad(day)}`;
    return a <= 12 && b <= 12 && a !== b ? { iso, meaning: `${day} ${MONTHS_LONG[month - 1]} ${year}` } : { iso };
  }
  const month = (name: string) => {
    const i = MONTHS_LONG.findIndex((m) => m.toLowerCase().startsWith(name.toLowerCase().replace(/\.$/, '')) && name.length >= 3);
    return i < 0 ? undefined : i + 1;
  };
  const named = /^(?:(\d{1,2})(?:st|nd|rd|th)? )?([A-Za-z]+\.?),? (\d{4})$/.exec(text.trim());
  const m = named ? month(named[2]!) : undefined;
  if (named && m) {
    const year = Number(named[3]);
    if (named[1] === undefined) return { iso: `${year}-${pad(m)}` };
    const day = Number(named[1]);
    return day >= 1 && day <= daysInMonth(year, m) ? { iso: `${year}-${pad(m)}-${pad(day)}` } : undefined;
  }
  return undefined;
}

/** What to write instead of a date written another common way. */
function otherFormProblem(text: string): string | undefined {
  const other = isoFormOf(text);
  if (!other) return undefined;
  if (other.iso === '') return `"${text}" is not a real date: check the day and month, and write it as YYYY-MM-DD`;
  return `"${text}" is not a date csi reads: write it as ${other.iso}${other.meaning ? ` (if it means ${other.meaning})` : ''}`;
}

/** Parses one `YYYY-MM[-DD]`, or explains why it is not a real date. */
export function parsePlanDay(text: string): PlanDay | string {
  const m = DAY.exec(text);
  if (!m) return otherFormProblem(text) ?? `"${text}" is not a date: write YYYY-MM-DD, or YYYY-MM when only the month is known`;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12) return `"${text}" has no month ${m[2]}`;
  if (m[3] === undefined) return { year, month };
  const day = Number(m[3]);
  if (day < 1 || day > daysInMonth(year, month)) {
    return `"${text}" is not a real date: ${MONTHS_LONG[month - 1]} ${year} has ${daysInMonth(year, month)} days`;
  }
  return { year, month, day };
}

/** Parses a plan date or range, or explains the problem. */
export function parsePlanDate(text: string): PlanDate | string {
  // A range written with a dash or "to" between two dates (2016-04–2016-05).
  const dashed = /^(\d{4}-\d{2}(?:-\d{2})?)\s*(?:[-–—]|to)\s*(\d{4}-\d{2}(?:-\d{2})?)$/.exec(text.trim());
  if (dashed) return `"${text}" is not a date: a range is written with "/" between its two dates, as ${dashed[1]}/${dashed[2]}`;
  const other = otherFormProblem(text);
  if (other) return other;
  const parts = text.split('/');
  if (parts.length > 2) return `"${text}" has more than one "/": a range is START/END, each YYYY-MM-DD or YYYY-MM`;
  const start = parsePlanDay(parts[0] ?? '');
  if (typeof start === 'string') return start;
  if (parts.length === 1) return { start };
  const end = parsePlanDay(parts[1] ?? '');
  if (typeof end === 'string') return end;
  if (compareDays(start, end) >= 0) return `the range "${text}" must end after it starts`;
  return { start, end };
}

/** Orders days; a month-only day sorts before any day in that month. */
export function compareDays(a: PlanDay, b: PlanDay): number {
  return a.year - b.year || a.month - b.month || (a.day ?? 0) - (b.day ?? 0);
}

function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

/** "Jun 2012", "Apr/May 2014", "18 Nov 2016" — the chronology's own style. */
export function formatPlanDate(date: PlanDate): string {
  const { start, end } = date;
  const one = (d: PlanDay) => `${d.day === undefined ? '' : `${d.day} `}${MONTHS_SHORT[d.month - 1]}`;
  if (!end) return `${one(start)} ${start.year}`;
  if (start.year === end.year && start.day === undefined && end.day === undefined) {
    return `${one(start)}/${one(end)} ${start.year}`;
  }
  return `${one(start)} ${start.year} – ${one(end)} ${end.year}`;
}

/** "19th September 2017", as the report signs off. */
export function formatLongDate(day: PlanDay): string {
  const month = MONTHS_LONG[day.month - 1];
  return day.day === undefined ? `${month} ${day.year}` : `${ordinal(day.day)} ${month} ${day.year}`;
}

/** "19 September 2017", for running headers. */
export function formatPlainDate(day: PlanDay): string {
  const month = MONTHS_LONG[day.month - 1];
  return day.day === undefined ? `${month} ${day.year}` : `${day.day} ${month} ${day.year}`;
}

/** ISO form of a day, e.g. for `<time datetime>`. */
export function isoDay(day: PlanDay): string {
  const mm = String(day.month).padStart(2, '0');
  return day.day === undefined ? `${day.year}-${mm}` : `${day.year}-${mm}-${String(day.day).padStart(2, '0')}`;
}

/** "31 March 2025", "March 2025", "January – March 2025": a due date as a council writes it in full. */
export function formatLongPlanDate(date: PlanDate): string {
  const { start, end } = date;
  const one = (d: PlanDay) => `${d.day === undefined ? '' : `${d.day} `}${MONTHS_LONG[d.month - 1]}`;
  if (!end) return `${one(start)} ${start.year}`;
  if (start.year === end.year) return `${one(start)} – ${one(end)} ${end.year}`;
  return `${one(start)} ${start.year} – ${one(end)} ${end.year}`;
}
