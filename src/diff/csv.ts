import { stringify } from 'csv-stringify/sync';

// CSV for spreadsheets (RFC 4180) through csv-stringify, as csi export writes its CSV:
// fields quoted where they hold a quote, comma or line break; CRLF line ends; true and
// false written as words (the library would write 1 and "").

/** Rows as CSV text, each line ended by CRLF. */
export function csv(rows: readonly (readonly (string | number | boolean | undefined)[])[]): string {
  return stringify(rows as unknown[][], { record_delimiter: 'windows', quoted_match: /[\r\n]/, cast: { boolean: (value) => String(value) } });
}
