// What every chart shares: the font, the colours, the frame (title, width,
// autosize) and the "no data" chart. Colours are the RAG colours of the
// e-mail and workbook, dark enough to read on white in Outlook.
import type { Config, TopLevelSpec } from 'vega-lite';
import { CHART_FONT_FAMILY } from './chart-assets.js';
import { chartText, minorUnitExponent, type ChartLocale, type ChartNumberFormat } from './chart-format.js';
import { CHART_FORMAT_TYPE, DEFAULT_CHART_WIDTH } from './chart-render.js';

export const CHART_COLOURS = {
  green: '#2e7d32',
  amber: '#e0a100',
  red: '#c62828',
  total: '#8a8f98',
  revenue: '#3f6fb5',
  reference: '#222222',
  muted: '#6b6b6b',
} as const;

/** What every chart's input carries besides its figures. Texts arrive translated. */
export interface ChartFrame {
  title: string;
  locale: ChartLocale;
  /** CSS pixels; default DEFAULT_CHART_WIDTH. The height follows from the content. */
  width?: number;
}

const MIN_WIDTH = 240;
const MAX_WIDTH = 1600;

export function chartWidth(frame: ChartFrame): number {
  const width = frame.width ?? DEFAULT_CHART_WIDTH;
  if (!Number.isInteger(width) || width < MIN_WIDTH || width > MAX_WIDTH) {
    throw new RangeError(`chart width ${width} is not a whole number of pixels between ${MIN_WIDTH} and ${MAX_WIDTH}`);
  }
  return width;
}

export const CHART_CONFIG: Config = {
  font: CHART_FONT_FAMILY,
  background: '#ffffff',
  padding: 8,
  customFormatTypes: true,
  view: { stroke: null },
  axis: {
    labelFontSize: 11,
    labelColor: '#333333',
    titleFontSize: 11,
    domainColor: '#9e9e9e',
    tickColor: '#9e9e9e',
    gridColor: '#e8e8e8',
  },
  legend: { labelFontSize: 11, symbolSize: 100, symbolType: 'square', symbolOpacity: 1, orient: 'top', title: null },
  title: { fontSize: 14, fontWeight: 'bold', anchor: 'start', color: '#222222', offset: 10 },
};

/** The axis properties that hand tick labels to chart-format.ts. */
export function axisFormat(format: ChartNumberFormat): { format: ChartNumberFormat; formatType: string; tickMinStep?: number } {
  // Money ticks are whole currency units (minor units on the scale): no "$0, $0, $1" on a tiny range.
  if (format.kind === 'money') return { format, formatType: CHART_FORMAT_TYPE, tickMinStep: 10 ** minorUnitExponent(format.currency) };
  return { format, formatType: CHART_FORMAT_TYPE };
}

/** Top-level properties of every chart: fixed width, height from content, a title that cannot overflow. */
export interface ChartFrameSpec {
  title: { text: string; limit: number };
  width: number;
  autosize: { type: 'fit-x' | 'fit'; contains: 'padding' };
  config: Config;
}

export function frameSpec(frame: ChartFrame): ChartFrameSpec {
  const width = chartWidth(frame);
  return {
    title: { text: chartText(frame.title), limit: width - 24 },
    width,
    autosize: { type: 'fit-x', contains: 'padding' },
    config: CHART_CONFIG,
  };
}

/** A chart with nothing to draw says so instead of drawing empty axes (or throwing). */
export function noDataSpec(frame: ChartFrame, noData: string): TopLevelSpec {
  return {
    ...frameSpec(frame),
    autosize: { type: 'fit', contains: 'padding' },
    height: 90,
    data: { values: [{ text: chartText(noData) }] },
    mark: { type: 'text', fontSize: 13, color: CHART_COLOURS.muted, limit: chartWidth(frame) - 40 },
    encoding: { text: { field: 'text', type: 'nominal' } },
  };
}

/**
 * Distinct band-scale values for rows that may share a name (two reps called
 * Ana Peña): later duplicates get zero-width spaces appended, which draw as
 * nothing but keep each row its own bar.
 */
export function distinctRowKeys(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((name) => {
    let key = name;
    while (seen.has(key)) key += '\u200b';
    seen.add(key);
    return key;
  });
}

/**
 * The y encoding of a chart with one horizontal bar per entity: rows in the
 * caller's order, fixed on the scale, so layers that filter rows out cannot
 * reorder them; names cut at 30% of the chart's width.
 */
export function entityRowAxis(rows: readonly { row: string }[], width: number) {
  return {
    field: 'row',
    type: 'nominal',
    sort: null,
    scale: { domain: rows.map((row) => row.row) },
    axis: { title: null, labelLimit: Math.round(width * 0.3), ticks: false, domain: false, labelPadding: 6 },
  } as const;
}
