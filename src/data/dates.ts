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

/** Parses one `YYYY-MM[-DD]`, or explains why it is not a real date. */
export function parsePlanDay(text: string): PlanDay | string {
  const m = DAY.exec(text);
  if (!m) return `"${text}" is not a date: write YYYY-MM-DD, or YYYY-MM when only the month is known`;
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
  const parts = text.split('/');
  if (parts.length > 2) return `"${text}" has more than one "/": a range is START/END`;
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
