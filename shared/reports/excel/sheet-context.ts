// What a sheet writer needs from its workbook: the exceljs streaming sheet,
// the reporting currency and locale, shared style objects, and a way to
// anchor a picture (which exceljs's streaming writer cannot do by itself).
import type ExcelJS from 'exceljs';
import { numberFormatFor, type CellKind, type ReportLocale } from './number-formats.js';

/** Where a picture goes: zero-based cell positions; `to` (exclusive corner) or a pixel size. */
export interface ImageAnchor {
  imageId: number;
  /** Alt text, stored as the picture's description. */
  alt: string;
  from: { col: number; row: number };
  to?: { col: number; row: number };
  sizePx?: { width: number; height: number };
}

export interface SheetContext {
  worksheet: ExcelJS.Worksheet;
  currency: string;
  locale: ReportLocale;
  styles: StyleBook;
  anchorImage(anchor: ImageAnchor): void;
  hasImage(imageId: number): boolean;
  /** Resolves once the zip has taken the rows written so far off this sheet's buffer (immediately when there is little). */
  drained(): Promise<void>;
}

export type StyleVariant = 'plain' | 'header' | 'subtotal' | 'title' | 'heading' | 'label';

/** Fonts name the face and size: a font with only `bold` falls back to the viewer's default face (a serif in LibreOffice). */
const FONT: Partial<ExcelJS.Font> = { name: 'Calibri', family: 2, size: 11 };
const THIN_TOP: Partial<ExcelJS.Borders> = { top: { style: 'thin', color: { argb: 'FF404040' } } };

/**
 * Style objects shared by every cell of the same kind and variant. exceljs's
 * style registry caches by object identity (a WeakMap), so reusing one object
 * per kind keeps styling 200k rows cheap; a fresh object per cell would be
 * serialised to JSON for every cell.
 */
export class StyleBook {
  readonly #styles = new Map<string, Partial<ExcelJS.Style>>();

  constructor(
    private readonly currency: string,
    private readonly locale: ReportLocale,
  ) {}

  get(kind: CellKind, variant: StyleVariant = 'plain'): Partial<ExcelJS.Style> {
    const key = `${kind}:${variant}`;
    let style = this.#styles.get(key);
    if (style === undefined) {
      style = {};
      const numFmt = numberFormatFor(kind, this.currency, this.locale);
      if (numFmt !== undefined) style.numFmt = numFmt;
      switch (variant) {
        case 'header':
          style.font = { ...FONT, bold: true };
          style.alignment = { vertical: 'bottom', wrapText: false };
          style.border = { bottom: { style: 'thin', color: { argb: 'FF404040' } } };
          break;
        case 'subtotal':
          style.font = { ...FONT, bold: true };
          style.border = THIN_TOP;
          break;
        case 'title':
          style.font = { ...FONT, bold: true, size: 14 };
          break;
        case 'heading':
          style.font = { ...FONT, bold: true, size: 12 };
          break;
        case 'label':
          style.font = { ...FONT, color: { argb: 'FF595959' } };
          break;
        case 'plain':
          break;
      }
      this.#styles.set(key, style);
    }
    return style;
  }
}
