import { describe, expect, it } from 'vitest';
import { formatLongDate, formatPlanDate, parsePlanDate } from '../src/data/dates.js';

describe('plan dates', () => {
  it('reads days, months and ranges', () => {
    expect(parsePlanDate('2017-09-19')).toEqual({ start: { year: 2017, month: 9, day: 19 } });
    expect(parsePlanDate('2012-06')).toEqual({ start: { year: 2012, month: 6 } });
    expect(parsePlanDate('2014-04/2014-05')).toEqual({
      start: { year: 2014, month: 4 },
      end: { year: 2014, month: 5 },
    });
  });

  it('rejects dates that do not exist, with the reason', () => {
    expect(parsePlanDate('2017-02-30')).toBe('"2017-02-30" is not a real date: February 2017 has 28 days');
    expect(parsePlanDate('2016-02-29')).toEqual({ start: { year: 2016, month: 2, day: 29 } });
    expect(parsePlanDate('2017-13')).toBe('"2017-13" has no month 13');
    expect(parsePlanDate('Summer 2017')).toMatch(/is not a date: write YYYY-MM-DD/);
    expect(parsePlanDate('2014-05/2014-04')).toMatch(/must end after it starts/);
  });

  it('says how to write a date written another common way', () => {
    expect(parsePlanDate('16/07/2024')).toBe('"16/07/2024" is not a date csi reads: write it as 2024-07-16');
    expect(parsePlanDate('05/07/2024')).toBe('"05/07/2024" is not a date csi reads: write it as 2024-07-05 (if it means 5 July 2024)');
    expect(parsePlanDate('07/16/2024')).toBe('"07/16/2024" is not a date csi reads: write it as 2024-07-16');
    expect(parsePlanDate('31/02/2024')).toBe('"31/02/2024" is not a real date: check the day and month, and write it as YYYY-MM-DD');
    expect(parsePlanDate('June 2017')).toBe('"June 2017" is not a date csi reads: write it as 2017-06');
    expect(parsePlanDate('19th September 2017')).toBe('"19th September 2017" is not a date csi reads: write it as 2017-09-19');
  });

  it('suggests the range form for two dates joined by a dash or "to"', () => {
    for (const dash of ['–', '—', '-', ' - ', ' to ']) {
      expect(parsePlanDate(`2016-04${dash}2016-05`)).toBe(`"2016-04${dash}2016-05" is not a date: a range is written with "/" between its two dates, as 2016-04/2016-05`);
    }
    expect(parsePlanDate('2016-04-01–2016-05-17')).toMatch(/as 2016-04-01\/2016-05-17$/);
  });

  it('formats as the report does', () => {
    expect(formatPlanDate(parsePlanDate('2012-06') as never)).toBe('Jun 2012');
    expect(formatPlanDate(parsePlanDate('2014-04/2014-05') as never)).toBe('Apr/May 2014');
    expect(formatLongDate({ year: 2017, month: 9, day: 19 })).toBe('19th September 2017');
    expect(formatLongDate({ year: 2016, month: 11, day: 1 })).toBe('1st November 2016');
    expect(formatLongDate({ year: 2016, month: 11, day: 12 })).toBe('12th November 2016');
    expect(formatLongDate({ year: 2016, month: 11, day: 23 })).toBe('23rd November 2016');
  });
});
