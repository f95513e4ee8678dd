// The Excel writing toolkit the report workbooks are built with.
export { ReportWorkbook, type ReportWorkbookOptions, type SheetPrintOptions, type WorkbookProperties } from './report-workbook.js';
export { TableSheetWriter, RAG_FILLS, type RagThresholds, type TableColumn, type TableOptions, type TableRow, type TableSummary } from './table-sheet.js';
export { BlockSheetWriter, type BlockTable, type KeyValue, type PictureOptions } from './block-sheet.js';
export { sheetName, quotedSheetName, SHEET_NAME_MAX_LENGTH } from './sheet-name.js';
export { cellText, amountFromMinorUnits, currencyExponent, excelDate, excelDateSerial, EXCEL_CELL_TEXT_LIMIT } from './cell-values.js';
export type { CellInput } from './cell-writer.js';
export {
  currencyFormat,
  currencyPlacement,
  deltaMoneyFormat,
  numberFormatFor,
  COUNT_FORMAT,
  DATE_FORMAT,
  DAYS_FORMAT,
  DELTA_PERCENT_POINTS_FORMAT,
  PERCENT_TABLE_FORMAT,
  PERCENT_TILE_FORMAT,
  RATIO_TIMES_FORMAT,
  type CellKind,
  type CurrencyPlacement,
  type ReportLocale,
} from './number-formats.js';
