// The text/plain alternative: columns aligned by display width (an accented
// letter is one column whatever its encoding, an emoji or a CJK character two),
// lines wrapped to at most 76 columns, sections underlined, deltas as ▲/▼ with
// their sign. Names arrive as plain text: control characters are dropped and
// line breaks flattened, so a name cannot forge lines of the report.

import { DELTA_ARROWS } from './delta.js';
import type { DeltaDirection } from './delta.js';

/** The default width of the text body (72–78 is what mail clients show without wrapping). */
export const TEXT_WIDTH = 76;

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

// East Asian Wide and Fullwidth blocks (Unicode 15, the ranges that matter for names).
const WIDE_RANGES: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff],
  [0xa000, 0xa4cf], [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe30, 0xfe4f], [0xff00, 0xff60],
  [0xffe0, 0xffe6], [0x20000, 0x3fffd],
];

function graphemeWidth(grapheme: string): number {
  const cp = grapheme.codePointAt(0) ?? 0;
  if (/^[\p{Cc}\p{Cf}\p{Mn}\p{Me}]+$/u.test(grapheme)) return 0; // controls, zero-width, lone combining marks
  if (/\p{Extended_Pictographic}/u.test(grapheme) && (/\p{Emoji_Presentation}/u.test(grapheme) || grapheme.includes('\ufe0f'))) return 2;
  if (/\p{Regional_Indicator}/u.test(grapheme)) return 2; // flags
  return WIDE_RANGES.some(([from, to]) => cp >= from && cp <= to) ? 2 : 1;
}

/** Columns a monospace terminal or mail client gives the text. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const g of graphemes(text)) width += graphemeWidth(g);
  return width;
}

/** One line of plain text from untrusted data: no control characters, no line breaks, no runs of blanks. */
export function cleanLine(text: string): string {
  return text
    .replace(/[\r\n\t\u2028\u2029]+/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '') // controls and bidi overrides
    .replace(/ {2,}/g, ' ')
    .trim();
}

export type TextAlign = 'left' | 'right';

/** Pads to a display width; longer text is returned as is. */
export function padToWidth(text: string, width: number, align: TextAlign = 'left'): string {
  const pad = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'right' ? pad + text : text + pad;
}

/** Splits one word that is wider than the line into pieces of at most `width` columns. */
function breakWord(word: string, width: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  let pieceWidth = 0;
  for (const g of graphemes(word)) {
    const w = graphemeWidth(g);
    if (pieceWidth + w > width && piece !== '') {
      pieces.push(piece);
      piece = '';
      pieceWidth = 0;
    }
    piece += g;
    pieceWidth += w;
  }
  if (piece !== '') pieces.push(piece);
  return pieces;
}

/** Greedy word wrap by display width; words longer than a line are broken. Always at least one line. */
export function wrapText(text: string, width: number = TEXT_WIDTH): string[] {
  if (!Number.isInteger(width) || width < 1) throw new Error(`wrap width must be a positive integer, got ${width}`);
  const lines: string[] = [];
  let line = '';
  for (const word of cleanLine(text).split(' ').filter((w) => w !== '')) {
    for (const piece of displayWidth(word) > width ? breakWord(word, width) : [word]) {
      if (line === '') line = piece;
      else if (displayWidth(line) + 1 + displayWidth(piece) <= width) line += ` ${piece}`;
      else {
        lines.push(line);
        line = piece;
      }
    }
  }
  lines.push(line);
  return lines;
}

/** A title underlined to its display width ("=" for the document title, "-" for sections), then the body. */
export function section(title: string, body: readonly string[], underline: '=' | '-' = '-'): string[] {
  const titleLines = wrapText(title);
  const longest = Math.max(...titleLines.map(displayWidth));
  return [...titleLines, underline.repeat(longest), ...body];
}

/** `▲ +6 pts`, `▼ −2`, `▶ 0`: the arrow and the sign say it without colour. */
export function deltaText(delta: { readonly text: string; readonly direction: DeltaDirection }): string {
  return `${DELTA_ARROWS[delta.direction]} ${cleanLine(delta.text)}`;
}

export interface TextColumn {
  readonly header: string;
  /** Numbers right (never wrapped), names left (wrapped when the table is too wide). */
  readonly align?: TextAlign;
}

export interface TextRow {
  readonly cells: readonly string[];
  /** A rule is drawn above subtotal rows. */
  readonly emphasis?: 'subtotal';
}

export interface TextTableOptions {
  readonly columns: readonly TextColumn[];
  readonly rows: readonly TextRow[];
  /** Widest line allowed (default 76). */
  readonly maxWidth?: number;
  /** Blanks between columns (default 2). */
  readonly gap?: number;
}

/** The narrowest a wrapped (left-aligned) column is squeezed to before the table is allowed to run wide. */
const MIN_WRAPPED_COLUMN = 8;

/**
 * Aligned columns by display width. When the natural width exceeds maxWidth,
 * the left-aligned (text) columns wrap onto continuation lines; right-aligned
 * figures keep their full width.
 */
export function textTable({ columns, rows, maxWidth = TEXT_WIDTH, gap = 2 }: TextTableOptions): string[] {
  rows.forEach((row, i) => {
    if (row.cells.length !== columns.length) throw new Error(`textTable row ${i + 1} has ${row.cells.length} cells for ${columns.length} columns`);
  });
  const headers = columns.map((c) => cleanLine(c.header));
  const body = rows.map((row) => row.cells.map(cleanLine));
  const natural = columns.map((_, c) => Math.max(displayWidth(headers[c] ?? ''), ...body.map((cells) => displayWidth(cells[c] ?? ''))));
  const widths = fitColumns(natural, columns.map((c) => (c.align ?? 'left') === 'left'), maxWidth - gap * (columns.length - 1));

  const renderRow = (cells: readonly string[]): string[] => {
    const wrapped = cells.map((cell, c) => {
      const width = widths[c] ?? 1;
      return (columns[c]?.align ?? 'left') === 'left' ? wrapText(cell, width) : [cell];
    });
    const height = Math.max(...wrapped.map((lines) => lines.length));
    const lines: string[] = [];
    for (let l = 0; l < height; l++) {
      const parts = wrapped.map((cellLines, c) => padToWidth(cellLines[l] ?? '', widths[c] ?? 0, columns[c]?.align ?? 'left'));
      lines.push(parts.join(' '.repeat(gap)).trimEnd());
    }
    return lines;
  };
  const rule = widths.map((w) => '-'.repeat(w)).join(' '.repeat(gap));
  const out = [...renderRow(headers), rule];
  body.forEach((cells, i) => {
    if (rows[i]?.emphasis === 'subtotal') out.push(rule);
    out.push(...renderRow(cells));
  });
  return out;
}

/** Shrinks the wrappable columns, widest first, until the columns fit the budget (or cannot shrink further). */
function fitColumns(natural: readonly number[], wrappable: readonly boolean[], budget: number): number[] {
  const widths = natural.map((w) => Math.max(1, w));
  let excess = widths.reduce((a, b) => a + b, 0) - budget;
  while (excess > 0) {
    let widest = -1;
    widths.forEach((w, c) => {
      if (wrappable[c] && w > MIN_WRAPPED_COLUMN && (widest < 0 || w > (widths[widest] ?? 0))) widest = c;
    });
    if (widest < 0) break;
    widths[widest] = (widths[widest] ?? 0) - 1;
    excess--;
  }
  return widths;
}

/** `label ........ amount` lines for the top-wins style lists, each at most `width` columns. */
export function amountList(items: readonly { readonly label: string; readonly amount: string }[], width: number = TEXT_WIDTH): string[] {
  const lines: string[] = [];
  for (const item of items) {
    const amount = cleanLine(item.amount);
    const labelWidth = width - displayWidth(amount) - 2;
    const labelLines = wrapText(item.label, Math.max(MIN_WRAPPED_COLUMN, labelWidth));
    labelLines.forEach((line, i) => {
      lines.push(i === 0 ? `${padToWidth(line, labelWidth)}  ${amount}` : line);
    });
  }
  return lines;
}

/** Blocks separated by one blank line, trailing blanks trimmed, ending with a newline. */
export function plainTextDocument(blocks: readonly (readonly string[])[]): string {
  return `${blocks
    .filter((block) => block.length > 0)
    .map((block) => block.map((line) => line.trimEnd()).join('\n'))
    .join('\n\n')}\n`;
}
