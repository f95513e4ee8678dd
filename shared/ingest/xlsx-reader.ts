// Streams one worksheet of an XLSX workbook into batches of raw rows. exceljs's own
// streaming reader mishandles shared strings and its plain Workbook needs
// gigabytes for 100k rows, so this reads the parts itself: yauzl for the zip
// (central directory checked by the zip guard first), saxes for the XML, the
// rows of one inflated chunk at a time. Only the shared-strings table and the date styles are held.
import { stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { Entry, ZipFile } from 'yauzl';
import type { ReaderLimits } from './file-format.js';
import { UnreadableFileError, type FileDescription, type RawCell, type RawRow } from './types.js';
import { openGuardedZip, readZipEntry } from './zip-guard.js';

/** Excel's last column, XFD. A reference beyond it is damage, and must not size an array. */
export const MAX_XLSX_COLUMNS = 16_384;

const RELATIONSHIP_TYPE = {
  officeDocument: '/officeDocument',
  worksheet: '/worksheet',
  sharedStrings: '/sharedStrings',
  styles: '/styles',
} as const;

/**
 * Opens a worksheet of the XLSX file at `path` (the first sheet, or
 * `sheetName`). Checks the zip, loads the shared strings and date styles,
 * then `batches` streams the sheet: the rows completed by each inflated chunk
 * as one array (never empty), like openCsv. Iterate `batches` to the end (or
 * `return()` it) to close the file. A refusal mid-sheet comes after a last
 * batch holding every row before the point of refusal.
 *
 * Cells keep their type: strings, numbers, booleans, `Date` for date-styled
 * numbers (UTC fields = what Excel shows), error values as their text
 * ('#DIV/0!'), formulas as their cached value. Empty cells are null; rows
 * without any value are skipped.
 */
export async function openXlsx(
  path: string,
  limits: ReaderLimits,
  sheetName?: string,
): Promise<{ description: FileDescription; batches: AsyncGenerator<RawRow[]> }> {
  const { size } = await stat(path);
  if (size > limits.maxFileBytes) {
    throw new UnreadableFileError(`the file is ${size} bytes, over the ${limits.maxFileBytes}-byte limit`, 'too-large');
  }
  const archive = await openGuardedZip(path, limits);
  try {
    const parts = new WorkbookParts(archive.zip, archive.entries);
    const workbookPath = await parts.workbookPath();
    const workbook = await parts.readWorkbook(workbookPath);
    const relationships = await parts.readRelationships(workbookPath);
    const sheet = chooseSheet(workbook.sheets, relationships, workbookPath, sheetName);
    const sheetEntry = parts.find(sheet.path);
    if (!sheetEntry) {
      throw new UnreadableFileError(`sheet "${sheet.name}" points to ${sheet.path}, which is not in the file`, 'not-a-spreadsheet');
    }
    const sharedStringsPath = relatedPart(relationships, RELATIONSHIP_TYPE.sharedStrings, workbookPath) ?? 'xl/sharedStrings.xml';
    const stylesPath = relatedPart(relationships, RELATIONSHIP_TYPE.styles, workbookPath) ?? 'xl/styles.xml';
    const context: SheetContext = {
      sharedStrings: await parts.readSharedStrings(sharedStringsPath, limits.maxCellChars),
      dateStyles: await parts.readDateStyles(stylesPath),
      date1904: workbook.date1904,
      limits,
    };
    return {
      description: { format: 'xlsx', sheet: sheet.name },
      batches: readSheetBatches(archive.zip, sheetEntry, context),
    };
  } catch (error) {
    archive.zip.close();
    throw error;
  }
}

// ---------------------------------------------------------------------------
// XML plumbing

interface XmlHandlers {
  open(name: string, attributes: Record<string, string>): void;
  text?(text: string): void;
  close(name: string): void;
}

/** `x:row` and `row` are the same element: some writers prefix the main namespace. */
function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

/** `r:id` under whatever prefix the writer bound the relationships namespace to. */
function relationshipId(attributes: Record<string, string>): string | undefined {
  for (const [name, value] of Object.entries(attributes)) if (name.endsWith(':id')) return value;
  return undefined;
}

/**
 * Feeds one zip entry through saxes, yielding after each chunk so a caller can
 * hand out what the handlers collected before more is inflated.
 */
async function* parseXmlPart(zip: ZipFile, entry: Entry, handlers: XmlHandlers): AsyncGenerator<void> {
  const parser = new SaxesParser<{ xmlns: false; position: false }>({ xmlns: false, position: false });
  parser.on('opentag', (tag: SaxesTagPlain) => handlers.open(localName(tag.name), tag.attributes));
  parser.on('closetag', (tag: SaxesTagPlain) => handlers.close(localName(tag.name)));
  if (handlers.text) {
    const onText = (text: string) => handlers.text!(text);
    parser.on('text', onText);
    parser.on('cdata', onText);
  }
  parser.on('error', (error) => {
    throw new UnreadableFileError(`${entry.fileName} is not well-formed XML (${error.message})`, 'not-a-spreadsheet');
  });
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of readZipEntry(zip, entry)) {
    parser.write(decoder.decode(chunk, { stream: true }));
    yield;
  }
  parser.write(decoder.decode());
  parser.close();
}

async function readXmlPart(zip: ZipFile, entry: Entry, handlers: XmlHandlers): Promise<void> {
  for await (const _ of parseXmlPart(zip, entry, handlers));
}

// ---------------------------------------------------------------------------
// Workbook structure

interface SheetListing {
  name: string;
  relationshipId: string;
}

interface Relationship {
  type: string;
  target: string;
}

/** Relationship targets are relative to the part's folder, or absolute from the package root. */
function resolveTarget(fromPart: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  return posix.normalize(posix.join(posix.dirname(fromPart), target));
}

function relatedPart(relationships: Map<string, Relationship>, typeSuffix: string, fromPart: string): string | undefined {
  for (const { type, target } of relationships.values()) {
    if (type.endsWith(typeSuffix)) return resolveTarget(fromPart, target);
  }
  return undefined;
}

function chooseSheet(
  sheets: readonly SheetListing[],
  relationships: Map<string, Relationship>,
  workbookPath: string,
  sheetName: string | undefined,
): { name: string; path: string } {
  const worksheets = sheets.flatMap((sheet) => {
    const relationship = relationships.get(sheet.relationshipId);
    // Chart sheets and dialog sheets have no cells.
    if (!relationship?.type.endsWith(RELATIONSHIP_TYPE.worksheet)) return [];
    return [{ name: sheet.name, path: resolveTarget(workbookPath, relationship.target) }];
  });
  if (sheetName === undefined) {
    const first = worksheets[0];
    if (!first) throw new UnreadableFileError('the workbook has no worksheet', 'empty');
    return first;
  }
  const wanted = sheetName.trim().toLowerCase();
  const sheet =
    worksheets.find((candidate) => candidate.name === sheetName) ??
    worksheets.find((candidate) => candidate.name.trim().toLowerCase() === wanted);
  if (!sheet) {
    const names = worksheets.map((candidate) => `"${candidate.name}"`).join(', ');
    throw new UnreadableFileError(`the workbook has no worksheet named "${sheetName}"; it has ${names}`, 'unsupported');
  }
  return sheet;
}

/** Built-in number formats that show a date or time (ECMA-376 §18.8.30). */
function isBuiltInDateFormat(numFmtId: number): boolean {
  return (numFmtId >= 14 && numFmtId <= 22) || (numFmtId >= 45 && numFmtId <= 47);
}

/**
 * A custom format shows a date when it has d, m, y, h or s outside quoted
 * text ("days"), brackets ([Red], [$€-407]) and escaped or padding
 * characters (\d, _d, *d).
 */
export function isDateFormatCode(formatCode: string): boolean {
  const codes = formatCode.replace(/"[^"]*"|\[[^\]]*\]|[\\_*]./g, '');
  return /[dmyhs]/i.test(codes);
}

/** The parts of one workbook package, read on demand. */
class WorkbookParts {
  /** Zip names are case-sensitive, Excel is not; some writers' relationships disagree in case with their entries. */
  private readonly byLowerCaseName = new Map<string, Entry>();

  constructor(
    private readonly zip: ZipFile,
    private readonly entries: Map<string, Entry>,
  ) {
    for (const [name, entry] of entries) this.byLowerCaseName.set(name.toLowerCase(), entry);
  }

  find(path: string): Entry | undefined {
    return this.entries.get(path) ?? this.byLowerCaseName.get(path.toLowerCase());
  }

  /** `_rels/.rels` names the main part; nearly always xl/workbook.xml. */
  async workbookPath(): Promise<string> {
    const packageRels = this.find('_rels/.rels');
    const main = packageRels ? relatedPart(await this.readRelationshipsEntry(packageRels), RELATIONSHIP_TYPE.officeDocument, '') : undefined;
    const path = main ?? 'xl/workbook.xml';
    if (!this.find(path)) {
      throw new UnreadableFileError(`the zip has no workbook (${path}); it is not an XLSX file`, 'not-a-spreadsheet');
    }
    return path;
  }

  async readWorkbook(workbookPath: string): Promise<{ date1904: boolean; sheets: SheetListing[] }> {
    const sheets: SheetListing[] = [];
    let date1904 = false;
    await readXmlPart(this.zip, this.find(workbookPath)!, {
      open(name, attributes) {
        if (name === 'workbookPr') date1904 = attributes.date1904 === '1' || attributes.date1904 === 'true';
        if (name === 'sheet') {
          const id = relationshipId(attributes);
          if (attributes.name !== undefined && id !== undefined) sheets.push({ name: attributes.name, relationshipId: id });
        }
      },
      close() {},
    });
    return { date1904, sheets };
  }

  /** The workbook's relationships: xl/_rels/workbook.xml.rels for xl/workbook.xml. */
  async readRelationships(partPath: string): Promise<Map<string, Relationship>> {
    const relsPath = posix.join(posix.dirname(partPath), '_rels', `${posix.basename(partPath)}.rels`);
    const entry = this.find(relsPath);
    if (!entry) throw new UnreadableFileError(`the workbook has no ${relsPath}; it is not an XLSX file`, 'not-a-spreadsheet');
    return this.readRelationshipsEntry(entry);
  }

  private async readRelationshipsEntry(entry: Entry): Promise<Map<string, Relationship>> {
    const relationships = new Map<string, Relationship>();
    await readXmlPart(this.zip, entry, {
      open(name, { Id, Type, Target, TargetMode }) {
        if (name === 'Relationship' && Id && Type && Target && TargetMode !== 'External') {
          relationships.set(Id, { type: Type, target: Target });
        }
      },
      close() {},
    });
    return relationships;
  }

  /**
   * The shared-strings table: `<si><t>` or rich text runs `<si><r><t>…` joined;
   * phonetic guides (`<rPh>`) left out. Each string is kept to one character
   * past `maxCellChars`, enough for the sheet reader to see it is too long.
   */
  async readSharedStrings(path: string, maxCellChars: number): Promise<string[]> {
    const entry = this.find(path);
    if (!entry) return [];
    const strings: string[] = [];
    let text = '';
    let inText = false;
    let phoneticDepth = 0;
    await readXmlPart(this.zip, entry, {
      open(name) {
        if (name === 'si') text = '';
        else if (name === 'rPh') phoneticDepth++;
        else if (name === 't' && phoneticDepth === 0) inText = true;
      },
      text(piece) {
        if (inText && text.length <= maxCellChars) text += piece.slice(0, maxCellChars + 1 - text.length);
      },
      close(name) {
        if (name === 't') inText = false;
        else if (name === 'rPh') phoneticDepth--;
        else if (name === 'si') strings.push(decodeOoxmlEscapes(text));
      },
    });
    return strings;
  }

  /** For each cell style index (`<c s="…">`), whether its number format shows a date. */
  async readDateStyles(path: string): Promise<boolean[]> {
    const entry = this.find(path);
    if (!entry) return [];
    const customFormats = new Map<number, string>();
    const styleFormats: number[] = [];
    let inCellXfs = false;
    await readXmlPart(this.zip, entry, {
      open(name, attributes) {
        if (name === 'numFmt') customFormats.set(Number(attributes.numFmtId), attributes.formatCode ?? '');
        else if (name === 'cellXfs') inCellXfs = true;
        else if (name === 'xf' && inCellXfs) styleFormats.push(Number(attributes.numFmtId ?? 0));
      },
      close(name) {
        if (name === 'cellXfs') inCellXfs = false;
      },
    });
    return styleFormats.map((numFmtId) => {
      const custom = customFormats.get(numFmtId);
      return custom === undefined ? isBuiltInDateFormat(numFmtId) : isDateFormatCode(custom);
    });
  }
}

/** OOXML writes characters XML cannot hold as `_xHHHH_` (a CR is `_x000D_`; a literal `_x` is `_x005F_x`). */
function decodeOoxmlEscapes(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

// ---------------------------------------------------------------------------
// Cell values

const MS_PER_DAY = 86_400_000;
/** Serial 1 is 1900-01-01 in the 1900 date system; serial 0 is 1904-01-01 in the 1904 one. */
const EPOCH_1900 = Date.UTC(1899, 11, 31);
const EPOCH_1904 = Date.UTC(1904, 0, 1);
/** 9999-12-31, Excel's last date. */
const LAST_SERIAL = 2_958_465;

/**
 * The date Excel shows for a serial, as a Date whose UTC fields are that
 * wall-clock value; null outside Excel's date range. Excel's 1900 system
 * counts 1900-02-29, a day that never was (kept from Lotus 1-2-3), so serials
 * from 60 on are one day ahead of a plain count; its 60 reads as 1900-02-28.
 */
export function excelSerialToDate(serial: number, date1904: boolean): Date | null {
  if (!(serial >= 0) || serial >= LAST_SERIAL + 1) return null;
  if (date1904) return new Date(EPOCH_1904 + Math.round(serial * MS_PER_DAY));
  const days = serial >= 60 ? serial - 1 : serial;
  return new Date(EPOCH_1900 + Math.round(days * MS_PER_DAY));
}

/** `t="d"` cells hold ISO 8601 text; without a zone it is the wall-clock value. */
function isoCellDate(text: string): Date | string {
  const hasZone = /(?:Z|[+-]\d\d:?\d\d)$/.test(text);
  const date = new Date(hasZone || !text.includes('T') ? text : `${text}Z`);
  return Number.isNaN(date.getTime()) ? text : date;
}

/** "C5" → 2 (zero-based column). */
function columnIndex(reference: string): number {
  let column = 0;
  for (let i = 0; i < reference.length; i++) {
    const code = reference.charCodeAt(i) | 0x20; // lower-case letters
    if (code < 0x61 || code > 0x7a) break;
    column = column * 26 + (code - 0x60);
  }
  return column - 1;
}

/** `<row r="5">` → 5; absent or damaged → undefined (the row after the previous one). */
function rowNumberOf(reference: string | undefined): number | undefined {
  const number = Number(reference);
  return reference !== undefined && Number.isInteger(number) && number > 0 ? number : undefined;
}

interface SheetContext {
  sharedStrings: readonly string[];
  dateStyles: readonly boolean[];
  date1904: boolean;
  limits: ReaderLimits;
}

/**
 * Turns sheet XML events into rows: `<row r>` → line, `<c r t s>` → a typed
 * cell at its column, `<v>` or `<is><t>` → the value (never the `<f>`ormula).
 */
class SheetRowCollector implements XmlHandlers {
  private rowNumber = 0;
  private cells: RawCell[] = [];
  private oversizedCells: number[] | undefined;
  private malformed: string | undefined;
  private column = -1;
  private cellType = 'n';
  private cellStyle = 0;
  private cellReference: string | undefined;
  private cellText: string | undefined;
  private inValue = false;
  private inInlineString = false;
  /** Inside `<is>…<t>`: only those hold the text, not the whitespace between rich-text runs. */
  private inInlineText = false;
  private phoneticDepth = 0;
  private rowsRead = 0;
  /** Rows completed since the last `takeRows`. */
  private rows: RawRow[] = [];

  constructor(private readonly context: SheetContext) {}

  hasRows(): boolean {
    return this.rows.length > 0;
  }

  /** The rows completed so far, as a fresh array the caller keeps. */
  takeRows(): RawRow[] {
    const rows = this.rows;
    this.rows = [];
    return rows;
  }

  open(name: string, attributes: Record<string, string>): void {
    switch (name) {
      case 'row':
        this.rowNumber = rowNumberOf(attributes.r) ?? this.rowNumber + 1;
        this.column = -1;
        break;
      case 'c':
        this.cellReference = attributes.r;
        this.column = attributes.r ? columnIndex(attributes.r) : this.column + 1;
        this.cellType = attributes.t ?? 'n';
        this.cellStyle = attributes.s ? Number(attributes.s) : 0;
        this.cellText = undefined;
        break;
      case 'v':
        this.inValue = true;
        this.cellText ??= '';
        break;
      case 'is':
        this.inInlineString = true;
        this.cellText ??= '';
        break;
      case 't':
        this.inInlineText = this.inInlineString && this.phoneticDepth === 0;
        break;
      case 'rPh':
        this.phoneticDepth++;
        break;
    }
  }

  text(text: string): void {
    if (this.cellText === undefined || this.cellText.length > this.context.limits.maxCellChars) return;
    if (this.inValue || this.inInlineText) {
      // Kept to one character past the limit: enough to flag the cell, never a whole hostile text node.
      this.cellText += text.slice(0, this.context.limits.maxCellChars + 1 - this.cellText.length);
    }
  }

  close(name: string): void {
    switch (name) {
      case 'v':
        this.inValue = false;
        break;
      case 'is':
        this.inInlineString = false;
        break;
      case 't':
        this.inInlineText = false;
        break;
      case 'rPh':
        this.phoneticDepth--;
        break;
      case 'c':
        this.placeCell();
        break;
      case 'row':
        this.endRow();
        break;
    }
  }

  private placeCell(): void {
    if (this.cellText === undefined) return; // a styled but empty cell
    if (this.column < 0 || this.column >= MAX_XLSX_COLUMNS) {
      this.malformed ??= `cell ${this.cellReference ?? '?'} is outside Excel's ${MAX_XLSX_COLUMNS} columns and was dropped`;
      return;
    }
    let value = this.cellValue(this.cellText);
    if (value === null) return;
    if (typeof value === 'string' && value.length > this.context.limits.maxCellChars) {
      value = value.slice(0, this.context.limits.maxCellChars);
      (this.oversizedCells ??= []).push(this.column);
    }
    while (this.cells.length < this.column) this.cells.push(null);
    this.cells[this.column] = value;
  }

  private cellValue(text: string): RawCell {
    switch (this.cellType) {
      case 's': {
        const shared = this.context.sharedStrings[Number(text)];
        if (shared === undefined) {
          this.malformed ??= `cell ${this.cellReference ?? '?'} refers to shared string ${text}, which the workbook lacks`;
          return null;
        }
        return shared;
      }
      case 'inlineStr':
        return decodeOoxmlEscapes(text);
      case 'str': // a formula's cached text result
      case 'e': // an error value: '#DIV/0!', '#N/A' …
        return text === '' ? null : decodeOoxmlEscapes(text);
      case 'b':
        return text === '1' || text === 'true';
      case 'd':
        return text === '' ? null : isoCellDate(text);
      default: {
        if (text.trim() === '') return null;
        const number = Number(text);
        if (!Number.isFinite(number)) return text;
        if (this.context.dateStyles[this.cellStyle]) return excelSerialToDate(number, this.context.date1904) ?? number;
        return number;
      }
    }
  }

  private endRow(): void {
    if (this.cells.length > 0 || this.malformed !== undefined) {
      if (++this.rowsRead > this.context.limits.maxRows) {
        throw new UnreadableFileError(`the sheet has more than ${this.context.limits.maxRows} rows (the limit)`, 'too-many-rows');
      }
      const row: RawRow = { line: this.rowNumber, cells: this.cells };
      if (this.oversizedCells) row.oversizedCells = this.oversizedCells;
      if (this.malformed) row.malformed = this.malformed;
      this.rows.push(row);
    }
    this.cells = [];
    this.oversizedCells = undefined;
    this.malformed = undefined;
  }
}

async function* readSheetBatches(zip: ZipFile, sheet: Entry, context: SheetContext): AsyncGenerator<RawRow[]> {
  const collector = new SheetRowCollector(context);
  try {
    for await (const _ of parseXmlPart(zip, sheet, collector)) {
      if (collector.hasRows()) yield collector.takeRows();
    }
    if (collector.hasRows()) yield collector.takeRows();
  } catch (error) {
    // Rows completed before a refusal in the same chunk come first, so the refusal
    // falls exactly where the sheet went over a limit or wrong, not at a chunk boundary.
    if (collector.hasRows()) yield collector.takeRows();
    throw error;
  } finally {
    zip.close();
  }
}
