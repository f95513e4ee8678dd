// The one render pipeline every chart goes through:
//   Vega-Lite spec → vega-lite compile → vega View (renderer 'none', no canvas)
//   → SVG string → resvg (WebAssembly) with the shipped DejaVu Sans → PNG at 2×.
// No system fonts, no clock, no network: the same spec gives the same bytes on a
// laptop and on an arm64 Lambda.
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { setFlagsFromString } from 'node:v8';
import * as vega from 'vega';
import { Error as VEGA_ERROR, expressionFunction, parse, View, type LoggerInterface } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { CHART_FONT_FAMILY, loadChartAssets } from './chart-assets.js';
import { formatChartNumber } from './chart-format.js';
import { readFontMetrics } from './font-metrics.js';

/** A chart ready to embed: `width`×`height` is the CSS size to display; the PNG has PIXEL_RATIO× as many pixels. */
export interface RenderedChart {
  png: Uint8Array;
  svg: string;
  width: number;
  height: number;
  alt: string;
}

/** PNG pixels per CSS pixel: crisp on high-density screens and in Excel at 100–200% zoom. */
export const PIXEL_RATIO = 2;
/** The e-mail is 600–700 px wide; charts default to a width that fits with its margins. */
export const DEFAULT_CHART_WIDTH = 600;
/** The name charts use in `formatType` so that axis ticks are formatted by chart-format.ts (Intl), not d3-format. */
export const CHART_FORMAT_TYPE = 'revperfFormat';

expressionFunction(CHART_FORMAT_TYPE, formatChartNumber);

export class ChartRenderError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ChartRenderError';
  }
}

/** What vega hands its text-width hook: the text mark item being laid out. */
interface TextItem {
  fontSize?: number | string;
  fontWeight?: number | string;
  limit?: number;
}

/** vega's text-measuring hook, which its typings do not declare (vl-convert replaces it the same way). */
const textMetrics = (vega as unknown as { textMetrics: { width: (item: TextItem, text: unknown) => number } }).textMetrics;

/**
 * Makes vega measure text with the shipped fonts' advance widths (process-wide:
 * this renderer is the only vega user). Bounds want the width as drawn, i.e.
 * truncated to `limit`; vega's truncation wants raw widths and only compares
 * them with `limit`, so capping at `limit` serves both.
 */
function measureTextWithFonts(fonts: readonly Uint8Array[]): void {
  const [regular, bold] = fonts.map(readFontMetrics);
  textMetrics.width = (item, text) => {
    const size = item.fontSize === undefined || item.fontSize === null ? 11 : Number(item.fontSize) || 0;
    const weight = item.fontWeight;
    const metrics = weight === 'bold' || (typeof weight === 'number' && weight >= 600) ? bold! : regular!;
    const width = metrics.width(String(text ?? '').trim(), size);
    return item.limit !== undefined && item.limit > 0 ? Math.min(width, item.limit) : width;
  };
}

// One initWasm per process: resvg-wasm refuses a second one. A failure is not
// cached, so a process whose assets were fixed can try again.
let fontsReady: Promise<Uint8Array[]> | undefined;

function readyFonts(): Promise<Uint8Array[]> {
  fontsReady ??= (async () => {
    const assets = loadChartAssets();
    // V8 compiles WebAssembly lazily, function by function, on first call and on
    // the main thread: resvg's first chart then took ~0.7 s, most of it compiling.
    // Compiled eagerly, the module's functions compile on V8's background
    // threads during initWasm (~0.15 s) and the first chart costs what the
    // others do. Only this renderer loads WebAssembly in the process.
    setFlagsFromString('--no-wasm-lazy-compilation');
    await initWasm(assets.wasm);
    measureTextWithFonts(assets.fonts);
    return assets.fonts;
  })().catch((error: unknown) => {
    fontsReady = undefined;
    throw error;
  });
  return fontsReady;
}

/** A logger that keeps vega-lite's warnings for the caller instead of printing them. */
function collectingLogger(warnings: string[]): LoggerInterface {
  const logger: LoggerInterface = {
    level: ((level?: number) => (level === undefined ? VEGA_ERROR : logger)) as LoggerInterface['level'],
    error: (...args: readonly unknown[]) => {
      throw new ChartRenderError(`vega-lite: ${args.map(String).join(' ')}`);
    },
    warn: (...args: readonly unknown[]) => {
      warnings.push(args.map(String).join(' '));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

/** The vega spec a Vega-Lite chart compiles to, with any warnings vega-lite raised (tests insist on none). */
export function compileChart(spec: TopLevelSpec): { vega: ReturnType<typeof compile>['spec']; warnings: string[] } {
  const warnings: string[] = [];
  const { spec: vegaSpec } = compile(spec, { logger: collectingLogger(warnings) });
  // Bar lists fit their width and grow a step per row; vega-lite says it drops
  // fitting the height, which is what is asked for: not worth reporting.
  return { vega: vegaSpec, warnings: warnings.filter((warning) => !warning.includes('Dropping "fit-y"')) };
}

// vega numbers clip paths with process-wide counters; renumbered per SVG, the
// same chart gives the same text however many were drawn before (or at once).
export function renumberDefinitions(svg: string): string {
  const ids = new Map<string, string>();
  return svg.replace(/(id="|url\(#)((?:clip|gradient_)\d+)/g, (_match, prefix: string, id: string) => {
    let renamed = ids.get(id);
    if (!renamed) {
      renamed = `${id.startsWith('clip') ? 'clip' : 'gradient_'}${ids.size + 1}`;
      ids.set(id, renamed);
    }
    return `${prefix}${renamed}`;
  });
}

// vega truncates long labels by UTF-16 code units and may cut an emoji in half.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function svgSize(svg: string): { width: number; height: number } {
  const root = /^<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const width = Number(/\swidth="([\d.]+)"/.exec(root)?.[1]);
  const height = Number(/\sheight="([\d.]+)"/.exec(root)?.[1]);
  if (!(width > 0) || !(height > 0)) throw new ChartRenderError(`vega produced an SVG without a size: ${root.slice(0, 200)}`);
  return { width, height };
}

/** Draws a Vega-Lite spec (inline data only) to SVG and PNG. */
export async function renderChart(spec: TopLevelSpec, alt: string): Promise<RenderedChart> {
  const fonts = await readyFonts();
  const { vega: vegaSpec } = compileChart(spec);
  const view = new View(parse(vegaSpec), { renderer: 'none', logLevel: VEGA_ERROR });
  let svg: string;
  try {
    svg = renumberDefinitions(await view.toSVG()).replace(LONE_SURROGATE, '');
  } finally {
    view.finalize();
  }
  const { width, height } = svgSize(svg);

  let resvg: InstanceType<typeof Resvg> | undefined;
  try {
    resvg = new Resvg(svg, {
      font: {
        fontBuffers: fonts,
        loadSystemFonts: false,
        defaultFontFamily: CHART_FONT_FAMILY,
        sansSerifFamily: CHART_FONT_FAMILY,
      },
      fitTo: { mode: 'zoom', value: PIXEL_RATIO },
      background: '#ffffff',
      // Text as paths with the font's own outlines; geometricPrecision keeps it identical at any zoom.
      textRendering: 2,
    });
    const image = resvg.render();
    const png = image.asPng();
    image.free();
    return { png, svg, width: Math.round(width), height: Math.round(height), alt };
  } catch (error) {
    throw new ChartRenderError(`resvg could not draw the chart "${alt.slice(0, 80)}"`, { cause: error });
  } finally {
    resvg?.free();
  }
}
