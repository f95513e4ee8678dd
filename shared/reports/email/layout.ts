// E-mail layout blocks that hold up in Outlook (Word engine) and Gmail (which
// strips <style>): nested presentation tables, width/cellpadding/cellspacing
// attributes, bgcolor next to background-color, inline styles only, a fluid
// container capped at 640 px (fixed for Outlook by a ghost table), web-safe
// fonts. Every block is one row of that container; emailDocument stacks them.
// Blocks take text already formatted for the reader (figures, dates, deltas);
// they never format numbers themselves.

import { el, fragment, outlookGhostTable, renderDocument } from './html.js';
import type { Child, SafeHtml, StyleObject } from './html.js';
import { DELTA_ARROWS, deltaTone } from './delta.js';
import type { Delta, DeltaTone } from './delta.js';
import { RAG_COLOURS, ragStatus } from './rag.js';
import type { RagInput } from './rag.js';

export const CONTAINER_WIDTH = 640;
export const FONT_STACK = 'Arial, Helvetica, sans-serif';

export const PALETTE = {
  page: '#f3f4f6',
  card: '#ffffff',
  text: '#1f2328',
  muted: '#59636e',
  rule: '#d8dee4',
  faint: '#eef1f4',
  subtotal: '#f6f8fa',
  good: RAG_COLOURS.green,
  bad: RAG_COLOURS.red,
} as const;

/** Attributes every layout table carries: Outlook needs them as attributes, not CSS. */
const TABLE = { role: 'presentation', cellpadding: 0, cellspacing: 0, border: 0 } as const;

function baseText(size: string, extra: StyleObject = {}): StyleObject {
  return { fontFamily: FONT_STACK, fontSize: size, lineHeight: '1.4', color: PALETTE.text, ...extra };
}

/** One full-width row of the container, with the usual side padding. */
function blockRow(content: Child, padding = '12px 20px', cellStyle: StyleObject = {}): SafeHtml {
  return el('tr', {}, el('td', { style: { padding, ...cellStyle } }, content));
}

/** Long names (or a 40-character token nobody can hyphenate) wrap instead of widening the layout. */
const WRAP_ANYWHERE: StyleObject = { wordBreak: 'break-word', overflowWrap: 'anywhere' };

// ---------------------------------------------------------------------------
// Document
// ---------------------------------------------------------------------------

export interface EmailDocumentOptions {
  /** The <title>; most clients show the subject instead, but keep them equal. */
  readonly title: string;
  /** The hidden line inbox lists show after the subject. */
  readonly preheader: string;
  /** BCP 47 language of the text, e.g. `en`, `es`. */
  readonly lang: string;
  /** The blocks (headerBlock, headline, kpiTiles, …), top to bottom. */
  readonly body: Child;
}

/** A complete HTML document: doctype, charset/viewport, hidden preheader, the centred 640-px card. */
export function emailDocument({ title, preheader, lang, body }: EmailDocumentOptions): string {
  const head = el(
    'head',
    {},
    el('meta', { charset: 'utf-8' }),
    el('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
    el('meta', { 'http-equiv': 'X-UA-Compatible', content: 'IE=edge' }),
    // Light only: dark-mode inversion of RAG colours would change their meaning.
    el('meta', { name: 'color-scheme', content: 'light' }),
    el('meta', { name: 'supported-color-schemes', content: 'light' }),
    // Stop iOS Mail from turning figures and dates into links.
    el('meta', { name: 'format-detection', content: 'telephone=no, date=no, address=no, email=no' }),
    el('title', {}, title),
  );
  const hiddenPreheader = el(
    'div',
    {
      style: {
        display: 'none', maxHeight: '0', overflow: 'hidden', msoHide: 'all',
        fontSize: '1px', lineHeight: '1px', color: PALETTE.page, opacity: '0',
      },
      'aria-hidden': 'true',
    },
    preheader,
  );
  const card = el(
    'table',
    {
      ...TABLE, width: '100%', align: 'center', bgcolor: PALETTE.card,
      style: { width: '100%', maxWidth: `${CONTAINER_WIDTH}px`, backgroundColor: PALETTE.card, borderCollapse: 'collapse' },
    },
    el('tbody', {}, body),
  );
  const page = el(
    'table',
    { ...TABLE, width: '100%', bgcolor: PALETTE.page, style: { width: '100%', backgroundColor: PALETTE.page } },
    el('tbody', {}, el('tr', {}, el('td', { align: 'center', style: { padding: '16px 8px' } }, outlookGhostTable(CONTAINER_WIDTH, card)))),
  );
  const html = el(
    'html',
    { lang, dir: 'ltr' },
    head,
    el(
      'body',
      {
        bgcolor: PALETTE.page,
        style: { margin: '0', padding: '0', width: '100%', backgroundColor: PALETTE.page, webkitTextSizeAdjust: '100%', msTextSizeAdjust: '100%' },
      },
      hiddenPreheader,
      page,
    ),
  );
  return renderDocument(html);
}

// ---------------------------------------------------------------------------
// Header, headline, text
// ---------------------------------------------------------------------------

/** The scope line (bold) and any lines under it (muted): "Team West · FY2027-Q3 · week 7 of 13 · as of Mon 17 Aug". */
export function headerBlock(lines: readonly string[]): SafeHtml {
  const [first, ...rest] = lines;
  return blockRow(
    [
      first === undefined ? null : el('div', { style: baseText('15px', { fontWeight: 'bold', ...WRAP_ANYWHERE }) }, first),
      rest.map((line) => el('div', { style: baseText('12px', { color: PALETTE.muted, ...WRAP_ANYWHERE }) }, line)),
    ],
    '18px 20px 6px 20px',
    { borderTop: `4px solid ${PALETTE.text}` },
  );
}

/** The verdict in one sentence, with a RAG colour bar and the RAG word (a colour never stands alone). */
export function headline(text: string, rag: RagInput): SafeHtml {
  const status = ragStatus(rag);
  const colour = RAG_COLOURS[status.level];
  const inner = el(
    'table',
    { ...TABLE, width: '100%', style: { width: '100%', borderCollapse: 'collapse' }, 'data-block': 'headline' },
    el(
      'tbody',
      {},
      el(
        'tr',
        {},
        el('td', { width: 6, bgcolor: colour, style: { width: '6px', backgroundColor: colour, fontSize: '1px', lineHeight: '1px' } }, '\u00a0'),
        el(
          'td',
          { style: { padding: '8px 12px', backgroundColor: PALETTE.faint }, bgcolor: PALETTE.faint },
          el('div', { style: baseText('19px', { fontWeight: 'bold', lineHeight: '1.3', ...WRAP_ANYWHERE }) }, text),
          el('div', { style: baseText('12px', { color: colour, fontWeight: 'bold', paddingTop: '2px' }) }, ragDot(rag), '\u00a0', status.label),
        ),
      ),
    ),
  );
  return blockRow(inner, '8px 20px 12px 20px');
}

export interface TextLineOptions {
  readonly muted?: boolean;
  readonly bold?: boolean;
}

/** A line of prose between blocks: "Forecast: won $1.23M · commit $0.18M", "This week: +$210k won (5) · …". */
export function textLine(text: string, options: TextLineOptions = {}): SafeHtml {
  const style = baseText('13px', {
    color: options.muted ? PALETTE.muted : PALETTE.text,
    fontWeight: options.bold ? 'bold' : undefined,
    ...WRAP_ANYWHERE,
  });
  return blockRow(el('div', { style }, text), '6px 20px');
}

/** The coloured dot for a RAG level; screen readers hear the label. */
export function ragDot(rag: RagInput): SafeHtml {
  const status = ragStatus(rag);
  return el(
    'span',
    { role: 'img', 'aria-label': status.label, title: status.label, style: { color: RAG_COLOURS[status.level], fontSize: '12px' } },
    '\u25cf',
  );
}

/** "● on track ≥ 100% · ● at risk ≥ 80% · ● behind": the key under a table of dots. */
export function ragLegend(entries: readonly { readonly rag: RagInput; readonly text: string }[]): SafeHtml {
  const parts = entries.map((entry, i) =>
    fragment(i > 0 ? '  \u00b7  ' : null, el('span', { style: { whiteSpace: 'nowrap' } }, ragDot(entry.rag), '\u00a0', entry.text)),
  );
  return blockRow(el('div', { style: baseText('11px', { color: PALETTE.muted }) }, parts), '0 20px 10px 20px');
}

// ---------------------------------------------------------------------------
// KPI tiles
// ---------------------------------------------------------------------------

const TONE_COLOURS: Readonly<Record<DeltaTone, string>> = { good: PALETTE.good, bad: PALETTE.bad, neutral: PALETTE.muted };

/** `▲ +6 pts` in the tone's colour; the arrow and the sign carry the meaning without colour. */
export function deltaBadge(delta: Delta): SafeHtml {
  return el(
    'span',
    { style: { color: TONE_COLOURS[deltaTone(delta)], whiteSpace: 'nowrap', fontWeight: 'bold' } },
    `${DELTA_ARROWS[delta.direction]}\u00a0${delta.text}`,
  );
}

export interface KpiTile {
  readonly label: string;
  readonly value: string;
  readonly delta?: Delta;
  /** A small line under the value: "of $1.50M", "97% of quota". */
  readonly sub?: string;
}

export const MAX_KPI_TILES = 5;

/** Up to five tiles in one row (each an equal share of 640 px, wrapping inside its cell at 600 px). */
export function kpiTiles(tiles: readonly KpiTile[]): SafeHtml {
  if (tiles.length === 0 || tiles.length > MAX_KPI_TILES) {
    throw new Error(`kpiTiles takes 1 to ${MAX_KPI_TILES} tiles, got ${tiles.length}`);
  }
  const share = `${Math.floor(100 / tiles.length)}%`;
  const cells = tiles.map((tile, i) =>
    el(
      'td',
      {
        width: share,
        valign: 'top',
        style: {
          width: share, padding: i === 0 ? '8px 6px 8px 0' : '8px 6px 8px 8px', verticalAlign: 'top',
          borderLeft: i === 0 ? undefined : `1px solid ${PALETTE.rule}`,
        },
      },
      el('div', { style: baseText('11px', { color: PALETTE.muted, textTransform: 'uppercase', letterSpacing: '0.3px', ...WRAP_ANYWHERE }) }, tile.label),
      el('div', { style: baseText('18px', { fontWeight: 'bold', lineHeight: '1.25', ...WRAP_ANYWHERE }) }, tile.value),
      tile.delta ? el('div', { style: baseText('12px') }, deltaBadge(tile.delta)) : null,
      tile.sub === undefined ? null : el('div', { style: baseText('11px', { color: PALETTE.muted, ...WRAP_ANYWHERE }) }, tile.sub),
    ),
  );
  const inner = el(
    'table',
    {
      ...TABLE, width: '100%', 'data-block': 'kpi-tiles',
      style: { width: '100%', borderCollapse: 'collapse', borderTop: `1px solid ${PALETTE.rule}`, borderBottom: `1px solid ${PALETTE.rule}` },
    },
    el('tbody', {}, el('tr', {}, cells)),
  );
  return blockRow(inner, '4px 20px');
}

// ---------------------------------------------------------------------------
// Data table
// ---------------------------------------------------------------------------

export type Align = 'left' | 'right' | 'center';

export interface DataColumn {
  readonly header: string;
  /** Numbers right, names left (default). */
  readonly align?: Align;
}

export interface DataRow {
  readonly cells: readonly string[];
  /** Draws a RAG dot before the first cell. */
  readonly rag?: RagInput;
  readonly emphasis?: 'subtotal';
}

export interface DataTableOptions {
  readonly columns: readonly DataColumn[];
  readonly rows: readonly DataRow[];
}

/**
 * The scope's table: 12 px text, numbers right-aligned and unbroken, names
 * wrapping anywhere, no fixed column widths, so seven columns fit 600 px.
 */
export function dataTable({ columns, rows }: DataTableOptions): SafeHtml {
  if (columns.length === 0) throw new Error('dataTable needs at least one column');
  rows.forEach((row, i) => {
    if (row.cells.length !== columns.length) {
      throw new Error(`dataTable row ${i + 1} has ${row.cells.length} cells for ${columns.length} columns`);
    }
  });
  const cellStyle = (column: DataColumn, first: boolean, last: boolean): StyleObject => {
    const align = column.align ?? 'left';
    return {
      textAlign: align,
      padding: `5px ${last ? '0' : '6px'} 5px ${first ? '0' : '6px'}`,
      ...(align === 'left' ? WRAP_ANYWHERE : { whiteSpace: 'nowrap' }),
    };
  };
  const header = el(
    'tr',
    {},
    columns.map((column, c) =>
      el(
        'th',
        {
          scope: 'col',
          align: column.align ?? 'left',
          valign: 'bottom',
          style: baseText('11px', {
            ...cellStyle(column, c === 0, c === columns.length - 1),
            whiteSpace: undefined, // headers may wrap ("Win rate") so the numbers set the width
            color: PALETTE.muted, fontWeight: 'bold', borderBottom: `2px solid ${PALETTE.rule}`,
          }),
        },
        column.header,
      ),
    ),
  );
  const body = rows.map((row) => {
    const subtotal = row.emphasis === 'subtotal';
    return el(
      'tr',
      subtotal ? { bgcolor: PALETTE.subtotal } : {},
      columns.map((column, c) =>
        el(
          'td',
          {
            align: column.align ?? 'left',
            valign: 'top',
            style: baseText('12px', {
              ...cellStyle(column, c === 0, c === columns.length - 1),
              fontWeight: subtotal ? 'bold' : undefined,
              backgroundColor: subtotal ? PALETTE.subtotal : undefined,
              borderTop: subtotal ? `2px solid ${PALETTE.rule}` : `1px solid ${PALETTE.faint}`,
            }),
          },
          c === 0 && row.rag !== undefined ? fragment(ragDot(row.rag), '\u00a0') : null,
          row.cells[c] ?? '',
        ),
      ),
    );
  });
  const table = el(
    'table',
    // A real data table (header cells with scope) for screen readers: no role="presentation".
    { ...TABLE, role: undefined, width: '100%', 'data-block': 'data-table', style: { width: '100%', borderCollapse: 'collapse' } },
    el('thead', {}, header),
    el('tbody', {}, body),
  );
  return blockRow(table, '8px 20px');
}

// ---------------------------------------------------------------------------
// Lists (top wins, slipped, past due, undated)
// ---------------------------------------------------------------------------

export interface ListItem {
  /** Deal name, bold. */
  readonly primary: string;
  /** Account · owner · date, muted. */
  readonly secondary?: string;
  /** Formatted amount, right-aligned. */
  readonly amount: string;
}

export interface ListSectionOptions {
  /** Shown when there are no items ("None this week"). Without it, an empty list renders nothing. */
  readonly empty?: string;
  /** Rows shown, at most 5 (the default). */
  readonly limit?: number;
  /** Shown when items were cut, e.g. "and 7 more in the workbook". */
  readonly more?: string;
}

export const MAX_LIST_ROWS = 5;

export function listSection(title: string, items: readonly ListItem[], options: ListSectionOptions = {}): SafeHtml {
  const limit = Math.min(options.limit ?? MAX_LIST_ROWS, MAX_LIST_ROWS);
  const shown = items.slice(0, limit);
  if (shown.length === 0 && options.empty === undefined) return fragment();
  const rows = shown.map((item) =>
    el(
      'tr',
      {},
      el(
        'td',
        { valign: 'top', style: { padding: '4px 8px 4px 0', borderTop: `1px solid ${PALETTE.faint}`, ...WRAP_ANYWHERE } },
        el('div', { style: baseText('12px', { fontWeight: 'bold' }) }, item.primary),
        item.secondary === undefined ? null : el('div', { style: baseText('11px', { color: PALETTE.muted }) }, item.secondary),
      ),
      el(
        'td',
        { align: 'right', valign: 'top', style: baseText('12px', { padding: '4px 0', textAlign: 'right', whiteSpace: 'nowrap', borderTop: `1px solid ${PALETTE.faint}` }) },
        item.amount,
      ),
    ),
  );
  const footnote =
    shown.length === 0
      ? options.empty
      : items.length > shown.length && options.more !== undefined
        ? options.more
        : undefined;
  const table = el(
    'table',
    { ...TABLE, width: '100%', 'data-block': 'list', style: { width: '100%', borderCollapse: 'collapse' } },
    el('tbody', {}, rows),
  );
  return blockRow(
    [
      el('div', { style: baseText('13px', { fontWeight: 'bold', paddingBottom: '2px', ...WRAP_ANYWHERE }) }, title),
      shown.length > 0 ? table : null,
      footnote === undefined ? null : el('div', { style: baseText('11px', { color: PALETTE.muted, paddingTop: '2px' }) }, footnote),
    ],
    '8px 20px',
  );
}

// ---------------------------------------------------------------------------
// Image, footer
// ---------------------------------------------------------------------------

export interface ImageBlockOptions {
  /** Content-ID of the inline attachment (without `cid:` and angle brackets). */
  readonly cid: string;
  /** Intrinsic size in CSS pixels; Outlook uses the attributes, others scale down with max-width. */
  readonly width: number;
  readonly height: number;
  readonly alt: string;
}

/** A chart attached inline: `<img src="cid:…">`, fixed size for Outlook, fluid below 640 px. */
export function imageBlock({ cid, width, height, alt }: ImageBlockOptions): SafeHtml {
  for (const [name, value] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(value) || value <= 0) throw new Error(`imageBlock ${name} must be a positive integer, got ${value}`);
  }
  const image = el('img', {
    src: `cid:${cid}`,
    width,
    height,
    alt,
    border: 0,
    style: {
      display: 'block', maxWidth: '100%', height: 'auto', border: '0', outline: 'none',
      fontFamily: FONT_STACK, fontSize: '12px', color: PALETTE.muted, // how the alt text looks when images are off
    },
  });
  return blockRow(image, '8px 20px');
}

export type FooterLine = string | { readonly text: string; readonly href: string };

/** Data freshness, workbook attached or linked, why you get this. */
export function footerBlock(lines: readonly FooterLine[]): SafeHtml {
  return blockRow(
    lines.map((line) =>
      el(
        'div',
        { style: baseText('11px', { color: PALETTE.muted, ...WRAP_ANYWHERE }) },
        typeof line === 'string' ? line : el('a', { href: line.href, style: { color: PALETTE.text, textDecoration: 'underline' } }, line.text),
      ),
    ),
    '14px 20px 18px 20px',
    { borderTop: `1px solid ${PALETTE.rule}` },
  );
}
