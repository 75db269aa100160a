// Writing CSV that spreadsheets open safely: RFC 4180 quoting, CRLF line ends, and a quote mark
// before a leading = + - @ (or tab), which a spreadsheet would otherwise run as a formula.

/** One cell, quoted when it must be (and defused when it would be a formula). */
export function csvCell(raw: string | number | boolean | null | undefined): string {
  const text = raw === null || raw === undefined ? '' : String(raw)
  const s = /^[=+\-@\t]/.test(text) ? `'${text}` : text
  return /[",\n\r]/.test(s) || s !== text ? `"${s.replaceAll('"', '""')}"` : s
}

/** Rows of cells as a CSV document. */
export const csvDocument = (rows: readonly (readonly (string | number | boolean | null | undefined)[])[]): string =>
  rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'
