// The report workbook: exceljs's streaming WorkbookWriter with revperf's
// document properties, safe sheet names, table and free-form sheets, and
// pictures.
//
// What exceljs 4.4.0's streaming writer (lib/stream/xlsx/*.js) really does,
// read from its source and checked by reading files back:
// - Conditional formatting: yes (worksheet.addConditionalFormatting, written
//   at commit; dxf styles need `useStyles: true`). But a dataBar rule is
//   rendered with an <extLst><ext><x14:id/></ext></extLst> that points at an
//   x14 extension the streaming writer never writes (only the in-memory
//   writer does); we drop that dangling reference, leaving a plain,
//   ECMA-376 dataBar.
// - Images: NO. `workbook.addImage` stores the media and zips it, but the
//   WorksheetWriter has no addImage — only addBackgroundImage — and writes no
//   drawing part. We add one: at commit a sheet with pictures gets a
//   <drawing r:id> (in schema order: after rowBreaks, before legacyDrawing),
//   an xl/drawings/drawingN.xml (+ rels) to the zip, and the content type.
// - Notes (comments): yes, cell.note, streamed through a VML part.
// - autoFilter: yes, `worksheet.autoFilter` is read at commit, so the ref can
//   be set once the row count is known.
// - views (frozen panes) and pageSetup's fitToPage: only as addWorksheet
//   options — they are written into the sheet's first bytes at creation.
// - pageSetup.printTitlesRow: becomes a _xlnm.Print_Titles defined name, but
//   the sheet name is quoted without doubling an apostrophe ('O'Brien'!$1:$1,
//   a broken name); we write those names ourselves, quoted properly.
// - Column widths: yes, but `<cols>` precede the rows, so widths must be
//   known before the first row is committed: tables hold back a sample.
// - Merged cells: yes (mergeCells). Defined names: yes (workbook.definedNames).
// - Document properties: created, modified, creator, lastModifiedBy are
//   options; title, subject, keywords, description are read off the writer
//   object; company is NOT written (app.xml gets only the sheet list) — we
//   write app.xml with the company.
// - Strings: a JS string is always a string cell (`t="str"` with `<v>`, no
//   `<f>`), never a formula; C0 controls are dropped by exceljs, but
//   U+FFFE/U+FFFF and lone surrogates are not (see cellText).
// - Backpressure: none. A sheet's rows go into a PassThrough that the zip
//   reads only when it gets to that entry, and exceljs ignores write()'s
//   return value, so a tight loop buffers the whole sheet in memory. Tables
//   written with addRows wait for that PassThrough to drain.
// - One sheet at a time: each sheet is a zip entry and archiver zips entries
//   in order, so rows written to a later sheet while an earlier one is open
//   pile up in memory. Adding a sheet therefore commits the one before.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import AppXform from 'exceljs/lib/xlsx/xform/core/app-xform.js';
import ConditionalFormattingsXform from 'exceljs/lib/xlsx/xform/sheet/cf/conditional-formattings-xform.js';
import ContentTypesXform from 'exceljs/lib/xlsx/xform/core/content-types-xform.js';
import WorkbookXform from 'exceljs/lib/xlsx/xform/book/workbook-xform.js';
import { BlockSheetWriter } from './block-sheet.js';
import type { ReportLocale } from './number-formats.js';
import { StyleBook, type ImageAnchor, type SheetContext } from './sheet-context.js';
import { quotedSheetName, sheetName } from './sheet-name.js';
import { TableSheetWriter, type TableOptions } from './table-sheet.js';

export interface WorkbookProperties {
  /** e.g. "Team West · FY2027-Q3 pre-review". */
  title: string;
  /** The organisation: company, creator and last-modified-by. */
  organisation: string;
  /** The period, stored as the subject, e.g. "FY2027-Q3". */
  period: string;
  /** The as-of day, stored as keywords, e.g. "as of 2027-09-02". */
  asOf: string;
  description?: string;
  /** Created and modified time, from the caller's clock (never read here). */
  createdAt: Date;
}

export interface ReportWorkbookOptions {
  /** Where the .xlsx goes: a writable stream or a file path. */
  output: { stream: Writable } | { filename: string };
  properties: WorkbookProperties;
  /** ISO 4217 code of the reporting currency. */
  currency: string;
  locale: ReportLocale;
}

/** Page setup for every sheet: landscape, fit to one page wide (and as many tall as needed). */
export interface SheetPrintOptions {
  /** Fit on one page tall as well (a rep page); default false. */
  onePage?: boolean;
}

const DRAWING_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing';
const IMAGE_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/image';
const EMU_PER_PIXEL = 9525;
/** Bytes of sheet XML allowed to wait for the zip before a table stops to let it catch up. */
const BUFFER_BEFORE_WAITING = 1024 * 1024;
const DANGLING_X14_REF = /<extLst><ext uri="\{B025F937-C7B1-47D3-B67F-A62EFF666E3E\}"[^>]*>(?:<x14:id\/>|<x14:id>[^<]*<\/x14:id>)<\/ext><\/extLst>/g;

/** The parts of exceljs's WorkbookWriter used here that its .d.ts does not declare. */
interface WriterInternals {
  zip: { append(source: string | Buffer, data: { name: string }): void };
  styles: unknown;
  media: { name: string; extension: string }[];
  sharedStrings: unknown;
  commentRefs: unknown[];
  views: unknown[];
  definedNames: { model: unknown[] };
  _worksheets: (WorksheetInternals | undefined)[];
  title?: string;
  subject?: string;
  keywords?: string;
  description?: string;
  addApp(): Promise<void>;
  addContentTypes(): Promise<void>;
  addWorkbook(): Promise<void>;
}

interface WorksheetInternals {
  id: number;
  name: string;
  state: string;
  rId: string;
  committed: boolean;
  /** exceljs's StreamBuf; archiver pipes it into a PassThrough (pipes[0]) that the zip reads when it reaches this entry. */
  stream: { write(chunk: string): void; pipes?: Writable[] };
  conditionalFormatting: unknown[];
  _sheetRelsWriter: { addRelationship(rel: { Type: string; Target: string }): string };
  _writeLegacyData(): void;
  _writeConditionalFormatting(): void;
  commit(): void;
}

interface OpenSheet {
  commit(): unknown;
}

export class ReportWorkbook {
  readonly currency: string;
  readonly locale: ReportLocale;
  readonly #writer: ExcelJS.stream.xlsx.WorkbookWriter;
  readonly #internals: WriterInternals;
  readonly #styles: StyleBook;
  readonly #names: string[] = [];
  readonly #printTitles = new Map<number, string>();
  readonly #drawings: { name: string }[] = [];
  readonly #company: string;
  #open: OpenSheet | null = null;
  #finished = false;

  constructor(options: ReportWorkbookOptions) {
    const { properties } = options;
    this.currency = options.currency.toUpperCase();
    this.locale = options.locale;
    this.#company = properties.organisation;
    this.#writer = new ExcelJS.stream.xlsx.WorkbookWriter({
      ...('stream' in options.output ? { stream: options.output.stream } : { filename: options.output.filename }),
      useStyles: true,
      useSharedStrings: false,
      created: properties.createdAt,
      modified: properties.createdAt,
      creator: properties.organisation,
      lastModifiedBy: properties.organisation,
    } as unknown as Partial<ExcelJS.stream.xlsx.WorkbookStreamWriterOptions>);
    this.#internals = this.#writer as unknown as WriterInternals;
    Object.assign(this.#internals, {
      title: properties.title,
      subject: properties.period,
      keywords: properties.asOf,
      description: properties.description,
    });
    this.#styles = new StyleBook(this.currency, this.locale);
    this.#patchWriter();
  }

  /** The sheet names so far, in order. */
  get sheetNames(): readonly string[] {
    return this.#names;
  }

  /** Adds a PNG (e.g. a chart) to the workbook; place it with a sheet's picture(). */
  addImage(png: Uint8Array): number {
    return this.#writer.addImage({ buffer: Buffer.from(png.buffer, png.byteOffset, png.byteLength) as never, extension: 'png' });
  }

  /** A streaming table sheet (the name is made safe and unique). Commits the sheet open before it. */
  addTableSheet<K extends string>(desiredName: string, options: TableOptions<K>): TableSheetWriter<K> {
    const context = this.#openSheet(desiredName, {
      views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }],
      onePage: false,
      printTitlesRow: '1:1',
    });
    const sheet = new TableSheetWriter<K>(context, options);
    this.#open = sheet;
    return sheet;
  }

  /** A free-form sheet (title, key/values, bullets, small tables, pictures), printed on one landscape page. */
  addBlockSheet(desiredName: string, print: SheetPrintOptions = { onePage: true }): BlockSheetWriter {
    const context = this.#openSheet(desiredName, { views: [], onePage: print.onePage ?? true });
    const sheet = new BlockSheetWriter(context);
    this.#open = sheet;
    return sheet;
  }

  /** Commits the open sheet and writes the rest of the file; resolves when the output has it all. */
  async finish(): Promise<void> {
    if (this.#finished) throw new Error('the workbook is already finished');
    this.#finished = true;
    this.#open?.commit();
    this.#open = null;
    if (this.#names.length === 0) throw new Error('a workbook needs at least one sheet');
    await this.#writer.commit();
  }

  #openSheet(
    desiredName: string,
    setup: { views: Partial<ExcelJS.WorksheetView>[]; onePage: boolean; printTitlesRow?: string },
  ): SheetContext {
    if (this.#finished) throw new Error('the workbook is already finished');
    this.#open?.commit();
    this.#open = null;
    const name = sheetName(desiredName, this.#names);
    this.#names.push(name);
    const worksheet = this.#writer.addWorksheet(name, {
      views: setup.views,
      pageSetup: {
        orientation: 'landscape',
        paperSize: 9,
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: setup.onePage ? 1 : 0,
        margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
        ...(setup.printTitlesRow === undefined ? {} : { printTitlesRow: setup.printTitlesRow }),
      },
    });
    const internals = worksheet as unknown as WorksheetInternals;
    if (setup.printTitlesRow !== undefined) this.#printTitles.set(internals.id, setup.printTitlesRow);
    const anchors: ImageAnchor[] = [];
    this.#patchWorksheet(internals, anchors);
    return {
      worksheet,
      currency: this.currency,
      locale: this.locale,
      styles: this.#styles,
      anchorImage: (anchor) => anchors.push(anchor),
      hasImage: (imageId) => this.#internals.media[imageId] !== undefined,
      drained: async () => {
        // archiver's PassThrough comes from readable-stream 2, which has no writableLength/writableNeedDrain.
        const sink = internals.stream.pipes?.[0] as (Writable & { _writableState?: { length?: number; needDrain?: boolean } }) | undefined;
        if (sink === undefined) return;
        const buffered = sink.writableLength ?? sink._writableState?.length ?? 0;
        const needDrain = sink.writableNeedDrain ?? sink._writableState?.needDrain ?? false;
        // Let about a megabyte queue up, so the zip (compressing on the thread pool) works while rows are made.
        if (needDrain && buffered > BUFFER_BEFORE_WAITING) await once(sink, 'drain');
      },
    };
  }

  #patchWriter(): void {
    const writer = this.#internals;
    const drawings = this.#drawings;
    const company = this.#company;
    const printTitles = this.#printTitles;
    const sheets = (): WorksheetInternals[] => writer._worksheets.filter((sheet): sheet is WorksheetInternals => sheet !== undefined);

    writer.addApp = async () => {
      writer.zip.append(new AppXform().toXml({ worksheets: sheets(), company }), { name: 'docProps/app.xml' });
    };
    writer.addContentTypes = async () => {
      const model = { worksheets: sheets(), sharedStrings: writer.sharedStrings, commentRefs: writer.commentRefs, media: writer.media, drawings };
      writer.zip.append(new ContentTypesXform().toXml(model), { name: '[Content_Types].xml' });
    };
    writer.addWorkbook = async () => {
      const all = sheets();
      // Plain sheet models (no pageSetup), so exceljs does not add its own badly quoted print titles.
      const model = {
        worksheets: all.map((sheet) => ({ id: sheet.id, name: sheet.name, state: sheet.state, rId: sheet.rId })),
        definedNames: [
          ...writer.definedNames.model,
          ...all.flatMap((sheet, index) => {
            const rows = printTitles.get(sheet.id);
            if (rows === undefined) return [];
            const [first, last] = rows.split(':');
            return [{ name: '_xlnm.Print_Titles', ranges: [`${quotedSheetName(sheet.name)}!$${first}:$${last}`], localSheetId: index }];
          }),
        ],
        views: writer.views,
        properties: {},
        calcProperties: {},
      };
      const xform = new WorkbookXform();
      xform.prepare(model);
      writer.zip.append(xform.toXml(model), { name: '/xl/workbook.xml' });
    };
  }

  #patchWorksheet(sheet: WorksheetInternals, anchors: ImageAnchor[]): void {
    const writer = this.#internals;
    const writeLegacyData = sheet._writeLegacyData.bind(sheet);
    sheet._writeLegacyData = () => {
      if (anchors.length > 0) {
        const name = `drawing${this.#drawings.length + 1}`;
        this.#drawings.push({ name });
        const rId = sheet._sheetRelsWriter.addRelationship({ Type: DRAWING_REL, Target: `../drawings/${name}.xml` });
        sheet.stream.write(`<drawing r:id="${rId}"/>`);
        const images = [...new Set(anchors.map((anchor) => anchor.imageId))];
        const rels = images
          .map((imageId, index) => {
            const medium = writer.media[imageId];
            if (medium === undefined) throw new Error(`no image ${imageId}`);
            return `<Relationship Id="rId${index + 1}" Type="${IMAGE_REL}" Target="../media/${medium.name}"/>`;
          })
          .join('');
        writer.zip.append(drawingXml(anchors, (imageId) => `rId${images.indexOf(imageId) + 1}`), { name: `xl/drawings/${name}.xml` });
        writer.zip.append(
          `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>`,
          { name: `xl/drawings/_rels/${name}.xml.rels` },
        );
      }
      writeLegacyData();
    };
    sheet._writeConditionalFormatting = () => {
      const xform = new ConditionalFormattingsXform();
      xform.prepare(sheet.conditionalFormatting, { styles: writer.styles });
      sheet.stream.write(xform.toXml(sheet.conditionalFormatting).replace(DANGLING_X14_REF, ''));
    };
  }
}

/** The DrawingML part for a sheet's pictures: two-cell anchors for ranges, one-cell anchors with an exact size otherwise. */
function drawingXml(anchors: readonly ImageAnchor[], relId: (imageId: number) => string): string {
  const position = (tag: string, at: { col: number; row: number }): string =>
    `<xdr:${tag}><xdr:col>${at.col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${at.row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:${tag}>`;
  const body = anchors
    .map((anchor, index) => {
      const id = index + 2;
      const picture =
        `<xdr:pic><xdr:nvPicPr><xdr:cNvPr id="${id}" name="Picture ${index + 1}" descr="${escapeAttribute(anchor.alt)}"/>` +
        '<xdr:cNvPicPr><a:picLocks noChangeAspect="1"/></xdr:cNvPicPr></xdr:nvPicPr>' +
        `<xdr:blipFill><a:blip xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:embed="${relId(anchor.imageId)}"/>` +
        '<a:stretch><a:fillRect/></a:stretch></xdr:blipFill>' +
        '<xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic>' +
        '<xdr:clientData/>';
      if (anchor.to !== undefined) {
        return `<xdr:twoCellAnchor editAs="oneCell">${position('from', anchor.from)}${position('to', anchor.to)}${picture}</xdr:twoCellAnchor>`;
      }
      const size = anchor.sizePx ?? { width: 480, height: 240 };
      return (
        `<xdr:oneCellAnchor>${position('from', anchor.from)}` +
        `<xdr:ext cx="${Math.round(size.width * EMU_PER_PIXEL)}" cy="${Math.round(size.height * EMU_PER_PIXEL)}"/>${picture}</xdr:oneCellAnchor>`
      );
    })
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">' +
    body +
    '</xdr:wsDr>'
  );
}

function escapeAttribute(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
