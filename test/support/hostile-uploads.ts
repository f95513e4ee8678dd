// Generators of hostile and broken uploads for the ingest fuzz tests: CSV in
// any encoding, delimiter and quoting (right or wrong), truncated, with
// garbage, huge cells and 10 000 columns; XLSX built part by part, with XML
// entity expansion and external entities, a sheet of a million empty styled
// cells, zips nested in zips, zip headers that lie (sizes, CRCs, counts,
// methods, names), truncation and flipped bytes. Each generated upload says
// what its zip's central directory declares, so a test can bound what ingest
// may inflate by evidence rather than by time.
import { crc32, deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import iconv from 'iconv-lite';

export type UploadKind = 'deals' | 'people' | 'quotas' | 'accounts' | 'fx';

export interface HostileUpload {
  /** What the generator made, for the counterexample. */
  shape: string;
  kind: UploadKind;
  fileName: string;
  bytes: Uint8Array;
  /** XLSX: Σ uncompressed sizes its central directory declares (what the guard admits at most); CSV: 0. */
  declaredUncompressed: number;
}

/** A marker a fuzz test can look for: a file the XML must never pull in. */
export const EXTERNAL_ENTITY_TARGET = '/etc/passwd';

// ---------------------------------------------------------------------------------------- cells and headers

const HEADERS: Record<string, string[]> = {
  salesforce: ['Opportunity ID', 'Opportunity Name', 'Account Name', 'Opportunity Owner', 'Stage', 'Amount', 'Opportunity Currency', 'Probability (%)', 'Close Date', 'Created Date', 'Forecast Category'],
  hubspot: ['Record ID', 'Deal Name', 'Deal Stage', 'Close Date', 'Deal owner', 'Amount', 'Pipeline', 'Create Date', 'Associated Company'],
  pipedrive: ['Deal - ID', 'Deal - Title', 'Deal - Value', 'Deal - Currency', 'Deal - Stage', 'Deal - Status', 'Deal - Owner', 'Deal - Expected close date', 'Deal - Organization'],
  people: ['Name', 'Email', 'Team', 'Manager', 'Region', 'Role', 'Active', 'Effective from'],
  quotas: ['Rep', 'Period', 'Quota', 'Currency'],
  accounts: ['Account', 'Tier', 'Key'],
  fx: ['Currency', 'Rate', 'Valid from'],
};

const plausibleCell = fc.constantFrom(
  'Closed Won', 'Closed Lost', 'Negotiation/Review', 'closedwon', 'open', 'won', 'Best Case', 'Commit',
  '$1,234.56', '1.234,56 €', '(1,234.56)', 'USD 1234.56', '12,3,4', '-5', '1e308', 'NaN', 'Infinity', '0', '100', '45123', '-1',
  '11/15/2026', '2026-11-15', '2026-02-30', '15.11.2026', '5-Mar-2026', '13/45/2026', '9999-12-31', '0000-00-00',
  'ana@northwind.example', 'evil@outside.example', 'Ana García', 'ANA  GARCÍA', 'USD', 'EUR', 'JPY', 'XXX',
  'yes', 'no', 'rep', 'manager', 'leader', 'FY2027-Q4', 'Q4 FY2027', '2026-11', '', ' ', 'Grand Totals (3 records)',
);

const hostileCell = fc.constantFrom(
  '=HYPERLINK("http://evil.example","x")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '=cmd|\' /C calc\'!A0',
  '"', '""', '"a"b"', 'a""b', '\n', '\r\n', '\r', ',', ';', '\t', '\uFEFF', '\u0000', '\u0001', '\u001b[31m',
  '\uFFFD', '\uD800', '\uDFFF', '💸', '𝕏𝕏𝕏', '\u202Etxt.exe', '<script>alert(1)</script>', '&amp;', '&lt;', ']]>',
  '_x000D_', '_x0000_', '&#0;', '&#xD800;', '\u2028', 'Ω≈ç√∫', '中文名', 'العربية',
);

const randomText = fc.string({ unit: 'binary', maxLength: 40 });

/** Cells longer than the 32 767-character limit (and one just at it). */
const hugeCell = fc.constantFrom(32_767, 32_768, 40_000, 100_000).map((length) => 'ż'.repeat(length));

export const cellArbitrary = fc.oneof(
  { weight: 6, arbitrary: plausibleCell },
  { weight: 3, arbitrary: hostileCell },
  { weight: 3, arbitrary: randomText },
  { weight: 1, arbitrary: hugeCell },
);

/** Mostly the header of the upload's own kind (so the rows reach the normaliser), sometimes another's, random, or 10 000 columns wide. */
const headerArbitrary = (kind: UploadKind) => {
  const own = kind === 'deals' ? [HEADERS.salesforce!, HEADERS.hubspot!, HEADERS.pipedrive!] : [HEADERS[kind]!];
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...own) },
    { weight: 1, arbitrary: fc.constantFrom(...Object.values(HEADERS)) },
    { weight: 1, arbitrary: fc.array(fc.oneof(plausibleCell, hostileCell, randomText), { minLength: 0, maxLength: 12 }) },
    // 10 000 columns: the kind's columns and thousands of blank or repeated ones.
    { weight: 1, arbitrary: fc.constantFrom(...own).map((preset) => [...preset, ...Array.from({ length: 10_000 - preset.length }, (_, i) => (i % 3 === 0 ? '' : `Column ${i % 50}`))]) },
  );
};

/** A value of the column's type (hostile text everywhere text goes, and long text), so rows get past validation into the table. */
function typedCell(column: string): fc.Arbitrary<string> {
  const name = column.toLowerCase();
  const longText = fc.constantFrom(255, 256, 999, 1_000, 1_001, 5_000).map((length) => 'ñ'.repeat(length));
  const text = fc.oneof({ weight: 4, arbitrary: hostileCell }, { weight: 2, arbitrary: plausibleCell }, { weight: 2, arbitrary: randomText }, { weight: 1, arbitrary: longText }, { weight: 1, arbitrary: hugeCell });
  if (/amount|value|quota|target|rate/.test(name)) return fc.oneof(fc.integer({ min: 0, max: 10_000_000 }).map((n) => `$${n.toLocaleString('en-US')}.00`), fc.constantFrom('1.234,56', '0', '1e9', '0.0001', '999999999999999999999'));
  if (/date|from|time/.test(name)) return fc.oneof(fc.constantFrom('11/15/2026', '2026-11-15', '2026-12-31', '2027-01-20', '15.11.2026', '46000'), plausibleCell);
  if (/stage|status/.test(name)) return fc.constantFrom('Closed Won', 'Closed Lost', 'Negotiation/Review', 'Prospecting', 'won', 'lost', 'open', 'closedwon', 'appointmentscheduled');
  if (/probability/.test(name)) return fc.constantFrom('0', '10', '50', '100', '75%', '');
  if (/currency/.test(name)) return fc.constantFrom('USD', 'EUR', 'GBP', '', 'usd');
  if (/e-?mail|^rep$|owner/.test(name)) return fc.oneof(fc.constantFrom('ana@northwind.example', 'evil@outside.example', 'Ana García', '=cmd@northwind.example'), text);
  if (/role/.test(name)) return fc.constantFrom('rep', 'manager', 'leader', '', '=rep');
  if (/active|key/.test(name)) return fc.constantFrom('yes', 'no', 'true', '', '1');
  if (/period/.test(name)) return fc.constantFrom('FY2027-Q4', 'Q4 FY2027', '2026-11', 'FY2027', 'FY27 Q4', '=FY');
  if (/id$/.test(name)) return fc.oneof(fc.stringMatching(/^[A-Za-z0-9]{1,12}$/), text);
  return text;
}

const rowsArbitrary = (header: readonly string[]) =>
  fc.array(
    fc.oneof(
      { weight: 4, arbitrary: fc.array(cellArbitrary, { minLength: 0, maxLength: Math.min(header.length + 3, 16) }) },
      // A row of the header's own types (only for headers of sensible width).
      { weight: header.length <= 20 ? 6 : 0, arbitrary: fc.tuple(...header.map((column) => typedCell(column))) },
      // A row as wide as a 10 000-column header.
      { weight: header.length > 100 ? 1 : 0, arbitrary: fc.constant(Array.from({ length: header.length }, (_, i) => (i % 7 === 0 ? `v${i}` : ''))) },
    ),
    { maxLength: 30 },
  );

const kindArbitrary = fc.constantFrom<UploadKind>('deals', 'deals', 'deals', 'people', 'quotas', 'accounts', 'fx');

/** An upload kind and a table (header and rows) for it. */
const kindAndTable = kindArbitrary.chain((kind) =>
  headerArbitrary(kind).chain((header) => fc.record({ kind: fc.constant(kind), table: fc.record({ header: fc.constant(header), rows: rowsArbitrary(header) }) })),
);

// ---------------------------------------------------------------------------------------- byte mutations

type Mutation =
  | { type: 'none' }
  | { type: 'truncate'; at: number }
  | { type: 'flip'; positions: number[]; values: number[] }
  | { type: 'insert'; at: number; garbage: Uint8Array }
  | { type: 'append'; garbage: Uint8Array };

const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 10, arbitrary: fc.constant({ type: 'none' as const }) },
  { weight: 2, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }).map((at) => ({ type: 'truncate' as const, at })) },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 })
      .map((flips) => ({ type: 'flip' as const, positions: flips.map(([p]) => p), values: flips.map(([, v]) => v) })),
  },
  { weight: 1, arbitrary: fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.uint8Array({ minLength: 1, maxLength: 64 })).map(([at, garbage]) => ({ type: 'insert' as const, at, garbage })) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 256 }).map((garbage) => ({ type: 'append' as const, garbage })) },
);

function mutate(bytes: Uint8Array, mutation: Mutation): Uint8Array {
  const at = (fraction: number) => Math.min(bytes.length, Math.floor(fraction * bytes.length));
  switch (mutation.type) {
    case 'none':
      return bytes;
    case 'truncate':
      return bytes.subarray(0, at(mutation.at));
    case 'flip': {
      const copy = Uint8Array.from(bytes);
      mutation.positions.forEach((position, i) => {
        if (copy.length > 0) copy[Math.min(copy.length - 1, at(position))] = mutation.values[i]!;
      });
      return copy;
    }
    case 'insert': {
      const cut = at(mutation.at);
      return Buffer.concat([bytes.subarray(0, cut), mutation.garbage, bytes.subarray(cut)]);
    }
    case 'append':
      return Buffer.concat([bytes, mutation.garbage]);
  }
}

// ---------------------------------------------------------------------------------------- CSV

type Quoting = 'minimal' | 'always' | 'never' | 'broken';
const ENCODINGS = ['utf-8', 'utf-8-bom', 'utf-16le-bom', 'utf-16be-bom', 'windows-1252', 'utf-16le-no-bom'] as const;
const encodingArbitrary = fc.constantFrom<(typeof ENCODINGS)[number]>('utf-8', 'utf-8', 'utf-8', 'utf-8-bom', 'utf-16le-bom', 'utf-16be-bom', 'windows-1252', 'windows-1252', 'utf-16le-no-bom');

function csvText(header: readonly string[], rows: readonly string[][], delimiter: string, quoting: Quoting, newline: string, seed: number): string {
  const quote = (cell: string, index: number) => {
    switch (quoting) {
      case 'always':
        return `"${cell.replace(/"/g, '""')}"`;
      case 'never':
        return cell;
      case 'broken':
        // Quotes opened and never closed, closed and never opened, or doubled wrongly.
        return (index + seed) % 4 === 0 ? `"${cell}` : (index + seed) % 4 === 1 ? `${cell}"` : `"${cell}"`;
      case 'minimal':
        return /["\r\n]/.test(cell) || cell.includes(delimiter) ? `"${cell.replace(/"/g, '""')}"` : cell;
    }
  };
  return [header, ...rows].map((cells) => cells.map(quote).join(delimiter)).join(newline) + (seed % 2 === 0 ? newline : '');
}

function encode(text: string, encoding: (typeof ENCODINGS)[number]): Uint8Array {
  switch (encoding) {
    case 'utf-8':
      return Buffer.from(text, 'utf8');
    case 'utf-8-bom':
      return Buffer.from(`\uFEFF${text}`, 'utf8');
    case 'utf-16le-bom':
      return Buffer.from(`\uFEFF${text}`, 'utf16le');
    case 'utf-16be-bom':
      return iconv.encode(text, 'utf-16be', { addBOM: true });
    case 'windows-1252':
      return iconv.encode(text, 'windows-1252');
    case 'utf-16le-no-bom':
      return Buffer.from(text, 'utf16le');
  }
}

export const hostileCsvArbitrary: fc.Arbitrary<HostileUpload> = fc
  .record({
    kindAndTable,
    delimiter: fc.constantFrom(',', ',', ',', ';', ';', '\t', '|', ' ', '"'),
    quoting: fc.constantFrom<Quoting>('minimal', 'minimal', 'minimal', 'always', 'never', 'broken'),
    newline: fc.constantFrom('\r\n', '\n', '\r'),
    encoding: encodingArbitrary,
    mutation: mutationArbitrary,
    seed: fc.nat(),
  })
  .map(({ kindAndTable: { kind, table }, delimiter, quoting, newline, encoding, mutation, seed }) => ({
    shape: `csv ${encoding} delimiter ${JSON.stringify(delimiter)} ${quoting} quoting, ${table.header.length} columns, ${table.rows.length} rows, ${mutation.type}`,
    kind,
    fileName: 'export.csv',
    bytes: mutate(encode(csvText(table.header, table.rows, delimiter, quoting, newline, seed), encoding), mutation),
    declaredUncompressed: 0,
  }));

/** Bytes that are no CSV at all: random, or a CSV-looking start followed by noise. */
export const garbageArbitrary: fc.Arbitrary<HostileUpload> = fc
  .record({ kind: kindArbitrary, bytes: fc.uint8Array({ minLength: 0, maxLength: 4096 }), prefix: fc.constantFrom('', 'Opportunity ID,Amount\r\n', 'PK\u0003\u0004', '\uFEFF', '\u00FF\u00FE') })
  .map(({ kind, bytes, prefix }) => ({
    shape: `garbage after ${JSON.stringify(prefix)}`,
    kind,
    fileName: prefix.startsWith('PK') ? 'export.xlsx' : 'export.csv',
    bytes: Buffer.concat([Buffer.from(prefix, 'latin1'), bytes]),
    declaredUncompressed: 0,
  }));

// ---------------------------------------------------------------------------------------- zip

export interface ZipPart {
  name: string;
  data: Uint8Array | string;
  /** Stored (0), deflated (8), or a method nobody supports. */
  method?: 0 | 8 | 99;
  /** Lies in the headers: the uncompressed size, the compressed size, the CRC, the name in the local header. */
  centralSize?: number;
  localSize?: number;
  compressedSizeDelta?: number;
  crcXor?: number;
  localName?: string;
}

/** A zip written byte by byte, headers saying whatever the part says. Returns the bytes and Σ central sizes. */
export function writeZip(parts: readonly ZipPart[], options: { countDelta?: number; deflateLevel?: number } = {}): { bytes: Buffer; declared: number } {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  let declared = 0;
  for (const part of parts) {
    const raw = typeof part.data === 'string' ? Buffer.from(part.data, 'utf8') : Buffer.from(part.data);
    const method = part.method ?? 8;
    const compressed = method === 8 ? deflateRawSync(raw, { level: options.deflateLevel ?? 6 }) : raw;
    const crc = (crc32(raw) ^ (part.crcXor ?? 0)) >>> 0;
    const compressedSize = Math.max(0, compressed.length + (part.compressedSizeDelta ?? 0));
    const centralSize = part.centralSize ?? raw.length;
    const name = Buffer.from(part.name, 'utf8');
    const localName = Buffer.from(part.localName ?? part.name, 'utf8');
    declared += centralSize;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressedSize >>> 0, 18);
    local.writeUInt32LE((part.localSize ?? raw.length) >>> 0, 22);
    local.writeUInt16LE(localName.length, 26);
    locals.push(local, localName, compressed);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressedSize >>> 0, 20);
    central.writeUInt32LE(centralSize >>> 0, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + localName.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  const count = Math.max(0, Math.min(0xffff, parts.length + (options.countDelta ?? 0)));
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return { bytes: Buffer.concat([...locals, directory, end]), declared };
}

// ---------------------------------------------------------------------------------------- XLSX

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>';
const PACKAGE_RELS =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>';
const WORKBOOK =
  '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
  '<sheets><sheet name="Export" sheetId="1" r:id="rId1"/></sheets></workbook>';
const WORKBOOK_RELS =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>' +
  '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>';
const STYLES =
  '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
  '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>' +
  '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs></styleSheet>';
const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';

/** A1 column letters for a zero-based index. */
export function columnLetters(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface SheetOptions {
  /** Escape the text (a writer that does its job) or write it raw (one that does not). */
  escape: boolean;
  /** Inline strings, shared strings, or numbers where the text is numeric. */
  cells: 'inline' | 'shared';
  /** Text placed in the DOCTYPE of the sheet and the shared strings (entity declarations). */
  doctype?: string;
  /** An entity reference placed in the first data cell. */
  entityReference?: string;
  /** Column references past Excel's last column, or none at all. */
  references: 'normal' | 'missing' | 'beyond';
}

function workbookParts(header: readonly string[], rows: readonly string[][], options: SheetOptions): { sheet: string; sharedStrings: string } {
  const shared: string[] = [];
  const text = (value: string) => (options.escape ? escapeXml(value) : value);
  const cell = (value: string, column: number, row: number, isFirstData: boolean) => {
    const reference =
      options.references === 'missing' ? '' : ` r="${options.references === 'beyond' && column > 0 ? `ZZZZ${row}` : `${columnLetters(column)}${row}`}"`;
    const content = isFirstData && options.entityReference ? options.entityReference : text(value);
    if (options.cells === 'shared' && !(isFirstData && options.entityReference)) {
      shared.push(value);
      return `<c${reference} t="s"><v>${shared.length - 1}</v></c>`;
    }
    return `<c${reference} t="inlineStr"><is><t>${content}</t></is></c>`;
  };
  const sheetRows = [header, ...rows].map((cells, index) => `<row r="${index + 1}">${cells.map((value, column) => cell(value, column, index + 1, index === 1 && column === 0)).join('')}</row>`);
  const prolog = `<?xml version="1.0" encoding="UTF-8"?>${options.doctype ?? ''}`;
  return {
    sheet: `${prolog}<worksheet xmlns="${MAIN_NS}"><sheetData>${sheetRows.join('')}</sheetData></worksheet>`,
    sharedStrings: `${prolog}<sst xmlns="${MAIN_NS}" count="${shared.length}" uniqueCount="${shared.length}">${shared.map((value) => `<si><t>${text(value)}</t></si>`).join('')}</sst>`,
  };
}

function standardParts(sheet: string | Uint8Array, sharedStrings: string): ZipPart[] {
  return [
    { name: '[Content_Types].xml', data: CONTENT_TYPES },
    { name: '_rels/.rels', data: PACKAGE_RELS },
    { name: 'xl/workbook.xml', data: WORKBOOK },
    { name: 'xl/_rels/workbook.xml.rels', data: WORKBOOK_RELS },
    { name: 'xl/styles.xml', data: STYLES },
    { name: 'xl/sharedStrings.xml', data: sharedStrings },
    { name: 'xl/worksheets/sheet1.xml', data: sheet },
  ];
}

/** Billion laughs: each entity ten of the one before; `levels` deep (9 is 10⁹ characters). */
function billionLaughs(levels: number): string {
  const entities = ['<!ENTITY lol0 "lollollollol">'];
  for (let level = 1; level <= levels; level++) entities.push(`<!ENTITY lol${level} "${`&lol${level - 1};`.repeat(10)}">`);
  return `<!DOCTYPE lolz [${entities.join('')}]>`;
}

export type XmlAttack = 'none' | 'billion-laughs' | 'external-entity' | 'parameter-entity' | 'undeclared-entity';

function xmlAttack(attack: XmlAttack): Pick<SheetOptions, 'doctype' | 'entityReference'> {
  switch (attack) {
    case 'none':
      return {};
    case 'billion-laughs':
      return { doctype: billionLaughs(9), entityReference: '&lol9;' };
    case 'external-entity':
      return { doctype: `<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://${EXTERNAL_ENTITY_TARGET}">]>`, entityReference: '&xxe;' };
    case 'parameter-entity':
      return { doctype: `<!DOCTYPE x [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>`, entityReference: 'x' };
    case 'undeclared-entity':
      return { entityReference: '&nowhere;' };
  }
}

type ZipLie =
  | { type: 'none' }
  | { type: 'central-size'; part: number; factor: number }
  | { type: 'local-size'; part: number; size: number }
  | { type: 'compressed-size'; part: number; delta: number }
  | { type: 'crc'; part: number }
  | { type: 'method'; part: number }
  | { type: 'stored'; part: number }
  | { type: 'local-name'; part: number }
  | { type: 'count'; delta: number }
  | { type: 'duplicate'; part: number }
  | { type: 'huge-declared'; part: number };

const partIndex = fc.integer({ min: 0, max: 6 });
const zipLieArbitrary: fc.Arbitrary<ZipLie> = fc.oneof(
  { weight: 12, arbitrary: fc.constant({ type: 'none' as const }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('central-size' as const), part: partIndex, factor: fc.constantFrom(0, 0.5, 2, 1000) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('local-size' as const), part: partIndex, size: fc.constantFrom(0, 1, 0xffffffff) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('compressed-size' as const), part: partIndex, delta: fc.constantFrom(-10, -1, 1, 1000) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('crc' as const), part: partIndex }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('method' as const), part: partIndex }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('stored' as const), part: partIndex }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('local-name' as const), part: partIndex }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('count' as const), delta: fc.constantFrom(-3, -1, 1, 60_000) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('duplicate' as const), part: partIndex }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('huge-declared' as const), part: partIndex }) },
);

function applyLie(parts: ZipPart[], lie: ZipLie): { parts: ZipPart[]; countDelta: number } {
  const copy = parts.map((part) => ({ ...part }));
  const sizeOf = (part: ZipPart) => (typeof part.data === 'string' ? Buffer.byteLength(part.data) : part.data.length);
  switch (lie.type) {
    case 'none':
      break;
    case 'central-size':
      copy[lie.part]!.centralSize = Math.floor(sizeOf(copy[lie.part]!) * lie.factor);
      break;
    case 'local-size':
      copy[lie.part]!.localSize = lie.size;
      break;
    case 'compressed-size':
      copy[lie.part]!.compressedSizeDelta = lie.delta;
      break;
    case 'crc':
      copy[lie.part]!.crcXor = 0x5a5a5a5a;
      break;
    case 'method':
      copy[lie.part]!.method = 99;
      break;
    case 'stored':
      copy[lie.part]!.method = 0;
      break;
    case 'local-name':
      copy[lie.part]!.localName = 'xl/worksheets/other.xml';
      break;
    case 'count':
      return { parts: copy, countDelta: lie.delta };
    case 'duplicate':
      copy.push({ ...copy[lie.part]!, data: '<oops/>' });
      break;
    case 'huge-declared':
      copy[lie.part]!.centralSize = 0xffffffff;
      break;
  }
  return { parts: copy, countDelta: 0 };
}

/** Generated workbooks: cells from the CSV generators, XML attacks, zip lies, then byte mutations. */
export const hostileXlsxArbitrary: fc.Arbitrary<HostileUpload> = fc
  .record({
    kindAndTable,
    escaped: fc.constantFrom(true, true, true, false),
    cells: fc.constantFrom<'inline' | 'shared'>('inline', 'shared'),
    references: fc.constantFrom<SheetOptions['references']>('normal', 'normal', 'normal', 'missing', 'beyond'),
    attack: fc.constantFrom<XmlAttack>('none', 'none', 'none', 'none', 'none', 'none', 'billion-laughs', 'external-entity', 'parameter-entity', 'undeclared-entity'),
    lie: zipLieArbitrary,
    mutation: mutationArbitrary,
  })
  .map(({ kindAndTable: { kind, table }, escaped, cells, references, attack, lie, mutation }) => {
    const { sheet, sharedStrings } = workbookParts(table.header, table.rows, { escape: escaped, cells, references, ...xmlAttack(attack) });
    const { parts, countDelta } = applyLie(standardParts(sheet, sharedStrings), lie);
    const zip = writeZip(parts, { countDelta });
    return {
      shape: `xlsx ${table.header.length} columns, ${table.rows.length} rows, ${cells} strings${escaped ? '' : ' unescaped'}, references ${references}, ${attack}, lie ${JSON.stringify(lie)}, ${mutation.type}`,
      kind,
      fileName: 'export.xlsx',
      bytes: mutate(zip.bytes, mutation),
      declaredUncompressed: zip.declared,
    };
  });

/** A sheet of a million empty styled cells (1 000 rows × 1 000 columns of `<c r=".." s="1"/>`) under a real header. */
export function millionEmptyStyledCells(kind: UploadKind = 'deals'): HostileUpload {
  const header = `<row r="1">${HEADERS.salesforce!.map((name, column) => `<c r="${columnLetters(column)}1" t="inlineStr"><is><t>${name}</t></is></c>`).join('')}</row>`;
  const columns = Array.from({ length: 1_000 }, (_, column) => columnLetters(column));
  const rows: string[] = [header];
  for (let row = 2; row <= 1_001; row++) rows.push(`<row r="${row}">${columns.map((letters) => `<c r="${letters}${row}" s="1"/>`).join('')}</row>`);
  const sheet = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${MAIN_NS}"><sheetData>${rows.join('')}</sheetData></worksheet>`;
  const zip = writeZip(standardParts(sheet, `<sst xmlns="${MAIN_NS}"/>`), { deflateLevel: 1 });
  return { shape: 'a million empty styled cells', kind, fileName: 'styled.xlsx', bytes: zip.bytes, declaredUncompressed: zip.declared };
}

/** Zips in zips: the sheet is itself a workbook, or the workbook is one entry of another zip. */
export const nestedZipArbitrary: fc.Arbitrary<HostileUpload> = fc
  .record({ kind: kindArbitrary, depth: fc.integer({ min: 1, max: 3 }), where: fc.constantFrom('sheet', 'whole', 'workbook') })
  .map(({ kind, depth, where }) => {
    const { sheet, sharedStrings } = workbookParts(HEADERS.salesforce!, [['006A', 'Deal', 'Acme', 'Ana', 'Closed Won', '100', 'USD', '100', '11/15/2026', '9/1/2026', '']], {
      escape: true,
      cells: 'inline',
      references: 'normal',
    });
    let inner = writeZip(standardParts(sheet, sharedStrings));
    for (let level = 1; level < depth; level++) inner = writeZip(standardParts(inner.bytes, sharedStrings));
    const outer =
      where === 'sheet'
        ? writeZip(standardParts(inner.bytes, sharedStrings))
        : where === 'workbook'
          ? writeZip(standardParts(sheet, sharedStrings).map((part) => (part.name === 'xl/workbook.xml' ? { ...part, data: inner.bytes } : part)))
          : writeZip([{ name: 'export.xlsx', data: inner.bytes, method: 0 }]);
    return { shape: `zip nested ${depth} deep as the ${where}`, kind, fileName: 'nested.xlsx', bytes: outer.bytes, declaredUncompressed: outer.declared };
  });

/** More entries than the guard allows (10 000 by default). */
export function tooManyEntries(count = 10_050): HostileUpload {
  const parts = [...standardParts('<worksheet/>', '<sst/>'), ...Array.from({ length: count }, (_, i) => ({ name: `xl/media/p${i}.bin`, data: '', method: 0 as const }))];
  const zip = writeZip(parts);
  return { shape: `${parts.length} zip entries`, kind: 'deals', fileName: 'many.xlsx', bytes: zip.bytes, declaredUncompressed: zip.declared };
}

/** Every shape, weighted towards the cheap ones. */
export const hostileUploadArbitrary: fc.Arbitrary<HostileUpload> = fc.oneof(
  { weight: 5, arbitrary: hostileCsvArbitrary },
  { weight: 5, arbitrary: hostileXlsxArbitrary },
  { weight: 1, arbitrary: garbageArbitrary },
  { weight: 1, arbitrary: nestedZipArbitrary },
);

/**
 * One workbook of the kind hostileXlsxArbitrary generates, chosen rather than
 * drawn (bench/xlsx-exceljs.ts runs these through exceljs's reader): escaped text, no zip lie, no mutation.
 */
export function chosenXlsx(
  header: readonly string[],
  rows: readonly string[][],
  options: { cells: 'inline' | 'shared'; references: SheetOptions['references']; attack: XmlAttack },
): Buffer {
  const { sheet, sharedStrings } = workbookParts(header, rows, { escape: true, cells: options.cells, references: options.references, ...xmlAttack(options.attack) });
  return writeZip(standardParts(sheet, sharedStrings)).bytes;
}

/** A workbook with the standard part names around the given sheet XML (and an empty shared-string table unless given). */
export function standardXlsx(sheet: string | Uint8Array, sharedStrings = `<sst xmlns="${MAIN_NS}"/>`, options: { deflateLevel?: number } = {}): Buffer {
  return writeZip(standardParts(sheet, sharedStrings), options).bytes;
}
