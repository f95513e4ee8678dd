// A declarative table on its own streaming sheet: bold frozen header row,
// autofilter, widths that fit, RAG and data bars as conditional formats,
// subtotal rows, and rows committed to the zip as they are written.
import type ExcelJS from 'exceljs';
import { writeCell, type CellInput } from './cell-writer.js';
import type { CellKind } from './number-formats.js';
import type { SheetContext } from './sheet-context.js';

export interface TableColumn<K extends string = string> {
  key: K;
  header: string;
  kind: CellKind;
  /** Fixed width in characters; otherwise fitted to the header and a sample of values. */
  width?: number;
  /** Note on an empty cell of this column, e.g. "n/a: no quota". */
  naNote?: string;
}

/** Red/amber/green by thresholds on the cell's value: ≥ green is green, ≥ amber amber, below red; empty cells stay plain. */
export interface RagThresholds {
  green: number;
  amber: number;
}

export interface TableOptions<K extends string = string> {
  columns: readonly TableColumn<K>[];
  /** RAG fills (as conditional-formatting rules) per column key. */
  rag?: Partial<Record<K, RagThresholds>>;
  /** A data bar (conditional format) on one numeric column. */
  dataBar?: { column: K; color?: string };
  /** Autofilter over header and rows; default true. */
  autoFilter?: boolean;
  /** Rows looked at for column widths before the first row is written; default 200. */
  widthSampleRows?: number;
  /** Widest a fitted column gets, in characters; default 50. */
  maxWidth?: number;
}

export type TableRow<K extends string = string> = Partial<Record<K, CellInput>>;

export const RAG_FILLS = {
  green: { fill: 'FFC6EFCE', font: 'FF006100' },
  amber: { fill: 'FFFFEB9C', font: 'FF9C5700' },
  red: { fill: 'FFFFC7CE', font: 'FF9C0006' },
} as const;
const DATA_BAR_COLOR = 'FF638EC6';
/** Rows written between looks at whether the zip is keeping up. */
const CHECK_EVERY = 256;

export interface TableSummary {
  sheetName: string;
  /** Data and subtotal rows written (the header excluded). */
  rows: number;
  /** The table's range, header included, e.g. `A1:L200001`. */
  ref: string;
}

export class TableSheetWriter<K extends string = string> {
  readonly #context: SheetContext;
  readonly #options: TableOptions<K>;
  readonly #widths: number[];
  /** Each column's style object for data rows and for subtotal rows, looked up once. */
  readonly #styles: Record<'plain' | 'subtotal', Partial<ExcelJS.Style>[]>;
  /** Rows held back until the widths are known (`<cols>` precedes the rows in the file). */
  #pending: ExcelJS.Row[] | null = [];
  #nextRow = 2;
  /** Rows of subtotals, left out of the data bar so a total does not flatten the bars. */
  readonly #subtotalRows: number[] = [];
  #committed = false;

  constructor(context: SheetContext, options: TableOptions<K>) {
    if (options.columns.length === 0) throw new Error('a table needs at least one column');
    this.#context = context;
    this.#options = options;
    this.#widths = options.columns.map((column) => column.header.length + 3);
    this.#styles = {
      plain: options.columns.map((column) => context.styles.get(column.kind, 'plain')),
      subtotal: options.columns.map((column) => context.styles.get(column.kind, 'subtotal')),
    };
    const header = context.worksheet.getRow(1);
    options.columns.forEach((column, index) => {
      writeCell(header.getCell(index + 1), column.header, 'text', context.styles.get('text', 'header'), context);
    });
    this.#pending?.push(header);
  }

  get sheetName(): string {
    return this.#context.worksheet.name;
  }

  /** Writes one data row. */
  addRow(row: TableRow<K>): void {
    this.#write(row, 'plain');
  }

  /** Writes a subtotal row: bold with a line above. */
  addSubtotal(row: TableRow<K>): void {
    this.#write(row, 'subtotal');
  }

  /**
   * Writes many rows, waiting whenever the zip falls behind, so memory stays
   * flat however long the table (addRow alone cannot wait: use this for the
   * big sheets). The output must be consumed meanwhile.
   */
  async addRows(rows: Iterable<TableRow<K>> | AsyncIterable<TableRow<K>>): Promise<void> {
    let sinceCheck = 0;
    if (Symbol.iterator in rows) {
      // A plain loop: `for await` would cost a microtask per row.
      for (const row of rows) {
        this.#write(row, 'plain');
        if (++sinceCheck >= CHECK_EVERY) {
          sinceCheck = 0;
          await this.#context.drained();
        }
      }
      return;
    }
    for await (const row of rows) {
      this.#write(row, 'plain');
      if (++sinceCheck >= CHECK_EVERY) {
        sinceCheck = 0;
        await this.#context.drained();
      }
    }
  }

  /** Ends the sheet: widths, autofilter, conditional formats, then the sheet is written out. Later writes throw. */
  commit(): TableSummary {
    if (this.#committed) return this.#summary();
    const worksheet = this.#context.worksheet;
    this.#flushPending();
    const lastRow = this.#nextRow - 1;
    const lastColumn = columnLetter(this.#options.columns.length);
    if (this.#options.autoFilter !== false) worksheet.autoFilter = `A1:${lastColumn}${lastRow}`;
    if (lastRow >= 2) this.#addConditionalFormats(lastRow);
    (worksheet as unknown as { commit(): void }).commit();
    this.#committed = true;
    return this.#summary();
  }

  #summary(): TableSummary {
    const lastRow = this.#nextRow - 1;
    return { sheetName: this.sheetName, rows: lastRow - 1, ref: `A1:${columnLetter(this.#options.columns.length)}${lastRow}` };
  }

  #write(values: TableRow<K>, variant: 'plain' | 'subtotal'): void {
    if (this.#committed) throw new Error(`sheet '${this.sheetName}' is already committed`);
    const context = this.#context;
    if (variant === 'subtotal') this.#subtotalRows.push(this.#nextRow);
    const row = context.worksheet.getRow(this.#nextRow++);
    const measuring = this.#pending !== null;
    const styles = this.#styles[variant];
    const columns = this.#options.columns;
    for (let index = 0; index < columns.length; index++) {
      const column = columns[index] as TableColumn<K>;
      const width = writeCell(row.getCell(index + 1), values[column.key], column.kind, styles[index] ?? {}, context, column.naNote);
      if (measuring && width + 2 > (this.#widths[index] ?? 0)) this.#widths[index] = width + 2;
    }
    if (this.#pending === null) {
      row.commit();
    } else {
      this.#pending.push(row);
      if (this.#pending.length > (this.#options.widthSampleRows ?? 200)) this.#flushPending();
    }
  }

  #flushPending(): void {
    if (this.#pending === null) return;
    const maxWidth = this.#options.maxWidth ?? 50;
    const worksheet = this.#context.worksheet;
    this.#options.columns.forEach((column, index) => {
      worksheet.getColumn(index + 1).width = columnWidth(column.width ?? Math.min(maxWidth, Math.max(6, this.#widths[index] ?? 10)));
    });
    for (const row of this.#pending) row.commit();
    this.#pending = null;
  }

  #addConditionalFormats(lastRow: number): void {
    const worksheet = this.#context.worksheet;
    const columnOf = (key: K): string => {
      const index = this.#options.columns.findIndex((column) => column.key === key);
      if (index < 0) throw new Error(`conditional format on unknown column '${key}'`);
      return columnLetter(index + 1);
    };
    for (const [key, thresholds] of Object.entries(this.#options.rag ?? {}) as [K, RagThresholds | undefined][]) {
      if (thresholds === undefined) continue;
      const letter = columnOf(key);
      worksheet.addConditionalFormatting({ ref: `${letter}2:${letter}${lastRow}`, rules: ragRules(`${letter}2`, thresholds) });
    }
    const dataBar = this.#options.dataBar;
    if (dataBar !== undefined) {
      const letter = columnOf(dataBar.column);
      const ref = rowRuns(2, lastRow, this.#subtotalRows)
        .map(([first, last]) => `${letter}${first}:${letter}${last}`)
        .join(' ');
      if (ref !== '') worksheet.addConditionalFormatting({ ref, rules: [dataBarRule(dataBar.color ?? DATA_BAR_COLOR)] });
    }
  }
}

/**
 * RAG as three expression rules relative to the range's top-left cell. They
 * test ISNUMBER first so an empty (n/a) cell gets no colour — a plain
 * "less than" rule would paint it red as if it were 0.
 */
export function ragRules(topLeft: string, thresholds: RagThresholds): ExcelJS.ConditionalFormattingRule[] {
  if (!(thresholds.green >= thresholds.amber)) {
    throw new Error(`RAG thresholds need green ≥ amber, got green ${thresholds.green}, amber ${thresholds.amber}`);
  }
  const style = (colors: { fill: string; font: string }): Partial<ExcelJS.Style> => ({
    fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: colors.fill } },
    font: { color: { argb: colors.font } },
  });
  return [
    { type: 'expression', formulae: [`AND(ISNUMBER(${topLeft}),${topLeft}>=${thresholds.green})`], style: style(RAG_FILLS.green) },
    {
      type: 'expression',
      formulae: [`AND(ISNUMBER(${topLeft}),${topLeft}>=${thresholds.amber},${topLeft}<${thresholds.green})`],
      style: style(RAG_FILLS.amber),
    },
    { type: 'expression', formulae: [`AND(ISNUMBER(${topLeft}),${topLeft}<${thresholds.amber})`], style: style(RAG_FILLS.red) },
  ] as ExcelJS.ConditionalFormattingRule[];
}

export function dataBarRule(color: string): ExcelJS.ConditionalFormattingRule {
  return { type: 'dataBar', cfvo: [{ type: 'min' }, { type: 'max' }], color: { argb: color } } as unknown as ExcelJS.ConditionalFormattingRule;
}

/** 1 → A, 27 → AA. */
export function columnLetter(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** exceljs leaves out a column whose width equals its default of 9, which then shows at Excel's 8.43: nudge it. */
export function columnWidth(width: number): number {
  return width === 9 ? 9.01 : width;
}

/** The runs of rows from `first` to `last` without the `skipped` ones (ascending): 2..9 without 5 → [2,4], [6,9]. */
export function rowRuns(first: number, last: number, skipped: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  let start = first;
  for (const row of skipped) {
    if (row < start || row > last) continue;
    if (row > start) runs.push([start, row - 1]);
    start = row + 1;
  }
  if (start <= last) runs.push([start, last]);
  return runs;
}
