// XLSX bytes that depend only on the workbook's content. exceljs stamps the
// document properties and every zip entry with the current time, so the same
// workbook written twice would differ; here both get a fixed instant instead.
import type ExcelJS from 'exceljs';

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_ENTRY_SIGNATURE = 0x02014b50;
const LOCAL_HEADER_SIGNATURE = 0x04034b50;

/** Serialises a workbook with its properties and zip timestamps set to `stamp`. */
export async function workbookBytes(workbook: ExcelJS.Workbook, stamp: Date): Promise<Buffer> {
  workbook.creator = 'revperf';
  workbook.lastModifiedBy = 'revperf';
  workbook.created = stamp;
  workbook.modified = stamp;
  const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
  stampZipEntries(bytes, stamp);
  return bytes;
}

/** MS-DOS date and time fields of a zip entry (2-second resolution, no time zone). */
function dosDateTime(stamp: Date): { date: number; time: number } {
  return {
    date: ((stamp.getUTCFullYear() - 1980) << 9) | ((stamp.getUTCMonth() + 1) << 5) | stamp.getUTCDate(),
    time: (stamp.getUTCHours() << 11) | (stamp.getUTCMinutes() << 5) | Math.floor(stamp.getUTCSeconds() / 2),
  };
}

/**
 * Rewrites the modification time of every entry, in both the central directory
 * and the local headers, in place. Assumes a zip without an archive comment,
 * as exceljs (JSZip) writes it.
 */
export function stampZipEntries(zip: Buffer, stamp: Date): void {
  const eocd = zip.length - 22;
  if (eocd < 0 || zip.readUInt32LE(eocd) !== EOCD_SIGNATURE) {
    throw new Error('not a zip without a trailing comment: end of central directory not found');
  }
  const { date, time } = dosDateTime(stamp);
  const entries = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  for (let entry = 0; entry < entries; entry++) {
    if (zip.readUInt32LE(offset) !== CENTRAL_ENTRY_SIGNATURE) throw new Error(`corrupt central directory at byte ${offset}`);
    zip.writeUInt16LE(time, offset + 12);
    zip.writeUInt16LE(date, offset + 14);
    const localHeader = zip.readUInt32LE(offset + 42);
    if (zip.readUInt32LE(localHeader) !== LOCAL_HEADER_SIGNATURE) throw new Error(`corrupt local header at byte ${localHeader}`);
    zip.writeUInt16LE(time, localHeader + 10);
    zip.writeUInt16LE(date, localHeader + 12);
    offset += 46 + zip.readUInt16LE(offset + 28) + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
  }
}
