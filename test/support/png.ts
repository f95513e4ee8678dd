// A minimal PNG encoder for test images (RGB, 8 bit, no filter), so tests need
// no image library: the chart in the example scorecard and a 1×1 pixel.

import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** `rgb` holds width × height × 3 bytes, row by row. */
export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  if (rgb.length !== width * height * 3) throw new Error(`expected ${width * height * 3} bytes, got ${rgb.length}`);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, no filter, no interlace
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0;
    raw.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), y * (width * 3 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export function onePixelPng(): Buffer {
  return encodePng(1, 1, Uint8Array.from([0x1a, 0x7f, 0x37]));
}

type Rgb = readonly [number, number, number];

/** Bars (0..max) with a horizontal target line: a stand-in for "attainment by rep, quota line". */
export function barChartPng(values: readonly number[], options: { width: number; height: number; target: number; max: number; colours: readonly Rgb[] }): Buffer {
  const { width, height, target, max, colours } = options;
  const rgb = new Uint8Array(width * height * 3).fill(255);
  const paint = (x0: number, y0: number, x1: number, y1: number, colour: Rgb) => {
    for (let y = Math.max(0, y0); y < Math.min(height, y1); y++) {
      for (let x = Math.max(0, x0); x < Math.min(width, x1); x++) rgb.set(colour, (y * width + x) * 3);
    }
  };
  const top = 10;
  const bottom = height - 10;
  const slot = Math.floor((width - 20) / values.length);
  values.forEach((value, i) => {
    const barHeight = Math.round((Math.min(value, max) / max) * (bottom - top));
    const x = 10 + i * slot + Math.floor(slot * 0.2);
    paint(x, bottom - barHeight, x + Math.floor(slot * 0.6), bottom, colours[i % colours.length] ?? [80, 80, 80]);
  });
  paint(10, bottom, width - 10, bottom + 1, [89, 99, 110]);
  const targetY = bottom - Math.round((target / max) * (bottom - top));
  for (let x = 10; x < width - 10; x += 8) paint(x, targetY - 1, x + 5, targetY + 1, [31, 35, 40]);
  return encodePng(width, height, rgb);
}

/** An RGB gradient of the given size: a real picture with every pixel different along a row. */
export function gradientPng(width: number, height: number): Buffer {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * 3;
      rgb[offset] = Math.round((255 * x) / Math.max(1, width - 1));
      rgb[offset + 1] = 120;
      rgb[offset + 2] = Math.round((255 * y) / Math.max(1, height - 1));
    }
  }
  return encodePng(width, height, rgb);
}
