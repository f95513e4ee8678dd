// A free-form sheet laid out top to bottom — the rep page of the pack: a
// title line, key/value blocks, bullet lists, small tables, pictures. It is
// small, so rows stay in memory until commit, when the widths are fitted.
import type ExcelJS from 'exceljs';
import { writeCell, type CellInput } from './cell-writer.js';
import type { CellKind } from './number-formats.js';
import type { SheetContext } from './sheet-context.js';
import { columnLetter, columnWidth, dataBarRule, ragRules, type RagThresholds, type TableColumn, type TableRow } from './table-sheet.js';

export interface KeyValue {
  label: string;
  value: CellInput;
  kind: CellKind;
  /** Note on an empty value, e.g. "n/a: no quota". */
  naNote?: string;
}

export interface BlockTable<K extends string = string> {
  title?: string;
  columns: readonly TableColumn<K>[];
  rows: readonly TableRow<K>[];
  /** Rows after the data, bold with a line above. */
  subtotals?: readonly TableRow<K>[];
  rag?: Partial<Record<K, RagThresholds>>;
  dataBar?: { column: K; color?: string };
}

export interface PictureOptions {
  alt: string;
  widthPx: number;
  heightPx: number;
  /** Zero-based column the picture's top-left corner sits in; default 0. */
  column?: number;
}

/** Rows a picture of this height covers at the default 15-point (20 px) row height. */
const PIXELS_PER_ROW = 20;
const MIN_WIDTH = 8;
const MAX_WIDTH = 45;

export class BlockSheetWriter {
  readonly #context: SheetContext;
  readonly #widths: number[] = [];
  #row = 1;
  #committed = false;

  constructor(context: SheetContext) {
    this.#context = context;
  }

  get sheetName(): string {
    return this.#context.worksheet.name;
  }

  /** The next row to be written (1-based). */
  get currentRow(): number {
    return this.#row;
  }

  /** A bold title line (it may run across empty cells to its right; it does not widen column A). */
  title(text: string): this {
    this.#text(text, 'title');
    return this;
  }

  /** A bold section heading. */
  heading(text: string): this {
    this.#text(text, 'heading');
    return this;
  }

  /** A plain line of text. */
  line(text: string): this {
    this.#text(text, 'plain');
    return this;
  }

  blank(rows = 1): this {
    this.#ensureOpen();
    this.#row += rows;
    return this;
  }

  /** Labels in column A, formatted values in column B. */
  keyValues(items: readonly KeyValue[], heading?: string): this {
    if (heading !== undefined) this.heading(heading);
    const { styles } = this.#context;
    for (const item of items) {
      const row = this.#nextRow();
      this.#measure(0, writeCell(row.getCell(1), item.label, 'text', styles.get('text', 'label'), this.#context));
      this.#measure(1, writeCell(row.getCell(2), item.value, item.kind, styles.get(item.kind), this.#context, item.naNote));
    }
    return this;
  }

  /** A bullet list ("• …"), one text cell per point. */
  bullets(points: readonly string[], heading?: string): this {
    if (heading !== undefined) this.heading(heading);
    for (const point of points) this.#text(`• ${point}`, 'plain');
    return this;
  }

  /** A small table: bold header, rows, optional subtotal rows, RAG and data bars as conditional formats. */
  table<K extends string>(table: BlockTable<K>): this {
    if (table.title !== undefined) this.heading(table.title);
    const { styles } = this.#context;
    const header = this.#nextRow();
    table.columns.forEach((column, index) => {
      this.#measure(index, writeCell(header.getCell(index + 1), column.header, 'text', styles.get('text', 'header'), this.#context) + 1);
    });
    const firstDataRow = this.#row;
    const write = (values: TableRow<K>, variant: 'plain' | 'subtotal'): void => {
      const row = this.#nextRow();
      table.columns.forEach((column, index) => {
        const cell = row.getCell(index + 1);
        const style = styles.get(column.kind, variant);
        this.#measure(index, writeCell(cell, values[column.key], column.kind, style, this.#context, column.naNote));
      });
    };
    for (const values of table.rows) write(values, 'plain');
    for (const values of table.subtotals ?? []) write(values, 'subtotal');
    const lastRow = this.#row - 1;
    if (lastRow >= firstDataRow) {
      const columnOf = (key: K): string => {
        const index = table.columns.findIndex((column) => column.key === key);
        if (index < 0) throw new Error(`conditional format on unknown column '${key}'`);
        return columnLetter(index + 1);
      };
      for (const [key, thresholds] of Object.entries(table.rag ?? {}) as [K, RagThresholds | undefined][]) {
        if (thresholds === undefined) continue;
        const letter = columnOf(key);
        this.#context.worksheet.addConditionalFormatting({
          ref: `${letter}${firstDataRow}:${letter}${lastRow}`,
          rules: ragRules(`${letter}${firstDataRow}`, thresholds),
        });
      }
      const lastDataRow = firstDataRow + table.rows.length - 1;
      if (table.dataBar !== undefined && lastDataRow >= firstDataRow) {
        const letter = columnOf(table.dataBar.column);
        this.#context.worksheet.addConditionalFormatting({
          ref: `${letter}${firstDataRow}:${letter}${lastDataRow}`,
          rules: [dataBarRule(table.dataBar.color ?? 'FF638EC6')],
        });
      }
    }
    return this;
  }

  /** A picture at the current row, its pixel size kept; the rows it covers are skipped. */
  picture(imageId: number, options: PictureOptions): this {
    this.#ensureOpen();
    this.#checkImage(imageId);
    this.#context.anchorImage({
      imageId,
      alt: options.alt,
      from: { col: options.column ?? 0, row: this.#row - 1 },
      sizePx: { width: options.widthPx, height: options.heightPx },
    });
    this.#row += Math.ceil(options.heightPx / PIXELS_PER_ROW) + 1;
    return this;
  }

  /** A picture stretched over a cell range such as `H2:N18` (does not move the current row). */
  pictureOver(imageId: number, range: string, alt: string): this {
    this.#ensureOpen();
    this.#checkImage(imageId);
    const match = /^([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)$/.exec(range);
    if (match === null) throw new Error(`picture range must look like B2:H18, got '${range}'`);
    const [, fromCol = '', fromRow = '', toCol = '', toRow = ''] = match;
    this.#context.anchorImage({
      imageId,
      alt,
      from: { col: columnNumber(fromCol) - 1, row: Number(fromRow) - 1 },
      to: { col: columnNumber(toCol), row: Number(toRow) },
    });
    return this;
  }

  /** Fits the widths and writes the sheet out. Later writes throw. */
  commit(): void {
    if (this.#committed) return;
    const worksheet = this.#context.worksheet;
    const columns = Math.max(this.#widths.length, 1);
    for (let index = 0; index < columns; index++) {
      worksheet.getColumn(index + 1).width = columnWidth(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, (this.#widths[index] ?? 0) + 2)));
    }
    (worksheet as unknown as { commit(): void }).commit();
    this.#committed = true;
  }

  #text(text: string, variant: 'title' | 'heading' | 'plain'): void {
    const row = this.#nextRow();
    writeCell(row.getCell(1), text, 'text', this.#context.styles.get('text', variant), this.#context);
  }

  #nextRow(): ExcelJS.Row {
    this.#ensureOpen();
    return this.#context.worksheet.getRow(this.#row++);
  }

  #measure(index: number, width: number): void {
    if (width > (this.#widths[index] ?? 0)) this.#widths[index] = width;
  }

  #ensureOpen(): void {
    if (this.#committed) throw new Error(`sheet '${this.sheetName}' is already committed`);
  }

  #checkImage(imageId: number): void {
    if (!this.#context.hasImage(imageId)) throw new Error(`no image ${imageId} in this workbook: add it with addImage first`);
  }
}

function columnNumber(letters: string): number {
  let n = 0;
  for (const letter of letters) n = n * 26 + (letter.charCodeAt(0) - 64);
  return n;
}
