// Text widths from the shipped font itself. Without a canvas vega guesses
// every character is 0.8 em wide: "iiii…" is cut far too early and "WWWW…" or
// "MMMM…" spills out of the image. Reading the advance widths from the TTF
// (cmap → glyph id → hmtx) lets vega lay out and truncate with the widths
// resvg will draw. Kerning is ignored: it only ever tightens DejaVu's pairs
// by a fraction of a pixel at these sizes.

export interface FontMetrics {
  /** Width of `text` in pixels at `fontSize`. */
  width(text: string, fontSize: number): number;
}

interface TableRecord {
  offset: number;
  length: number;
}

function tables(font: DataView): Map<string, TableRecord> {
  const count = font.getUint16(4);
  const found = new Map<string, TableRecord>();
  for (let index = 0; index < count; index++) {
    const at = 12 + index * 16;
    const tag = String.fromCharCode(font.getUint8(at), font.getUint8(at + 1), font.getUint8(at + 2), font.getUint8(at + 3));
    found.set(tag, { offset: font.getUint32(at + 8), length: font.getUint32(at + 12) });
  }
  return found;
}

function required(all: Map<string, TableRecord>, tag: string): TableRecord {
  const table = all.get(tag);
  if (!table) throw new Error(`font has no '${tag}' table`);
  return table;
}

/** code point → glyph id, from a format 12 (full Unicode) or format 4 (BMP) subtable. */
function glyphLookup(font: DataView, cmap: TableRecord): (codePoint: number) => number {
  const subtables = font.getUint16(cmap.offset + 2);
  let format4: number | undefined;
  let format12: number | undefined;
  for (let index = 0; index < subtables; index++) {
    const at = cmap.offset + 4 + index * 8;
    const platform = font.getUint16(at);
    const encoding = font.getUint16(at + 2);
    const offset = cmap.offset + font.getUint32(at + 4);
    const format = font.getUint16(offset);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    if (format === 12) format12 ??= offset;
    if (format === 4) format4 ??= offset;
  }
  if (format12 !== undefined) {
    const table = format12;
    const groups = font.getUint32(table + 12);
    return (codePoint) => {
      let low = 0;
      let high = groups - 1;
      while (low <= high) {
        const middle = (low + high) >>> 1;
        const at = table + 16 + middle * 12;
        const start = font.getUint32(at);
        const end = font.getUint32(at + 4);
        if (codePoint < start) high = middle - 1;
        else if (codePoint > end) low = middle + 1;
        else return font.getUint32(at + 8) + (codePoint - start);
      }
      return 0;
    };
  }
  if (format4 === undefined) throw new Error('font has no Unicode cmap subtable (format 4 or 12)');
  const table = format4;
  const segments = font.getUint16(table + 6) / 2;
  const ends = table + 14;
  const starts = ends + segments * 2 + 2;
  const deltas = starts + segments * 2;
  const rangeOffsets = deltas + segments * 2;
  return (codePoint) => {
    if (codePoint > 0xffff) return 0;
    for (let segment = 0; segment < segments; segment++) {
      if (font.getUint16(ends + segment * 2) < codePoint) continue;
      const start = font.getUint16(starts + segment * 2);
      if (start > codePoint) return 0;
      const delta = font.getInt16(deltas + segment * 2);
      const rangeOffsetAt = rangeOffsets + segment * 2;
      const rangeOffset = font.getUint16(rangeOffsetAt);
      if (rangeOffset === 0) return (codePoint + delta) & 0xffff;
      const glyph = font.getUint16(rangeOffsetAt + rangeOffset + (codePoint - start) * 2);
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };
}

/** Reads the advance widths of a TrueType font (a missing character measures as the font's .notdef box, as resvg draws it). */
export function readFontMetrics(bytes: Uint8Array): FontMetrics {
  const font = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const all = tables(font);
  const unitsPerEm = font.getUint16(required(all, 'head').offset + 18);
  const horizontalMetrics = font.getUint16(required(all, 'hhea').offset + 34);
  const hmtx = required(all, 'hmtx').offset;
  const glyphOf = glyphLookup(font, required(all, 'cmap'));
  const advance = (glyph: number): number => font.getUint16(hmtx + Math.min(glyph, horizontalMetrics - 1) * 4);
  const cache = new Map<number, number>();
  const advanceOf = (codePoint: number): number => {
    let units = cache.get(codePoint);
    if (units === undefined) {
      units = advance(glyphOf(codePoint));
      cache.set(codePoint, units);
    }
    return units;
  };
  return {
    width(text, fontSize) {
      let units = 0;
      for (const character of text) units += advanceOf(character.codePointAt(0)!);
      return (units * fontSize) / unitsPerEm;
    },
  };
}
