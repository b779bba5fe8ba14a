// CSV for spreadsheets (RFC 4180): fields quoted where they must be, CRLF line ends.

/** One CSV field, quoted where it holds a quote, comma or line break. */
export function csvField(value: string | number | boolean | undefined): string {
  const text = value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows as CSV text, each line ended by CRLF. */
export function csv(rows: readonly (readonly (string | number | boolean | undefined)[])[]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
