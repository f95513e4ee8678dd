// Writes CSV that revperf hands back to people (rejected rows, report
// extracts). Those files echo text from uploads, and a spreadsheet opening
// them would run any cell that looks like a formula — so text is neutralised
// on the way out (OWASP "CSV injection").

/** Characters that make Excel, LibreOffice or Sheets read a cell as a formula (or DDE command). */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);
/** A signed number is data, not a formula: `-12.5` and `+3e2` stay as they are. */
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Prefixes an apostrophe to text a spreadsheet would evaluate; leading spaces do not hide a trigger. */
export function neutraliseFormula(text: string): string {
  let start = 0;
  while (text.charCodeAt(start) === 0x20) start++;
  const first = text[start];
  if (first === undefined || !FORMULA_TRIGGERS.has(first)) return text;
  if (PLAIN_NUMBER.test(text.slice(start))) return text;
  return `'${text}`;
}

function needsQuotes(text: string, delimiter: string): boolean {
  return text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('\r');
}

function csvField(cell: string | number | null, delimiter: string): string {
  if (cell === null) return '';
  if (typeof cell === 'number') {
    // Ratios are number | null by rule; a NaN here is a bug upstream, not something to print.
    if (!Number.isFinite(cell)) throw new RangeError(`cannot write ${cell} to CSV`);
    return String(cell);
  }
  const text = neutraliseFormula(cell);
  return needsQuotes(text, delimiter) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * One RFC 4180 record ending in CRLF. Text cells are neutralised and quoted
 * when they hold the delimiter, a quote or a line break; numbers are written
 * as they are; null is an empty field.
 */
export function csvLine(cells: readonly (string | number | null)[], delimiter = ','): string {
  return cells.map((cell) => csvField(cell, delimiter)).join(delimiter) + '\r\n';
}
