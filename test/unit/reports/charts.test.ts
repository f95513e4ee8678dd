import { readFileSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-wasm';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import type { MovementFigures } from '../../../shared/domain/pipeline-movement.js';
import { attainmentChart, attainmentChartSpec, type AttainmentChartInput } from '../../../shared/reports/charts/attainment-chart.js';
import { altSentence, chartText, formatMoney, formatMultiple, formatPercent, minorUnitExponent } from '../../../shared/reports/charts/chart-format.js';
import { compileChart, PIXEL_RATIO, renumberDefinitions, type RenderedChart } from '../../../shared/reports/charts/chart-render.js';
import { coverageChart, coverageChartSpec, type CoverageChartInput } from '../../../shared/reports/charts/coverage-chart.js';
import { readFontMetrics } from '../../../shared/reports/charts/font-metrics.js';
import {
  movementWaterfallChart,
  movementWaterfallChartSpec,
  movementWaterfallSteps,
  MovementDoesNotBalanceError,
  type MovementWaterfallChartInput,
} from '../../../shared/reports/charts/movement-waterfall-chart.js';
import { revenueTrendChart, revenueTrendChartSpec, type RevenueTrendChartInput } from '../../../shared/reports/charts/revenue-trend-chart.js';

// ---------------------------------------------------------------- helpers

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from the PNG's IHDR chunk (always the first chunk). */
function pngSize(png: Uint8Array): { width: number; height: number } {
  expect(Array.from(png.subarray(0, 8))).toEqual(PNG_SIGNATURE);
  expect(new TextDecoder().decode(png.subarray(12, 16))).toBe('IHDR');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Throws on any XML well-formedness error; returns the text content of every <text> element. */
function svgTexts(svg: string): string[] {
  const parser = new SaxesParser();
  const texts: string[] = [];
  let inText = false;
  let current = '';
  parser.on('opentag', (tag) => {
    if (tag.name === 'text') {
      inText = true;
      current = '';
    }
  });
  parser.on('text', (text) => {
    if (inText) current += text;
  });
  parser.on('closetag', (tag) => {
    if (tag.name === 'text') {
      inText = false;
      texts.push(current);
    }
  });
  parser.write(svg).close();
  return texts;
}

/** The number of bars drawn in the first bar layer. */
function barCount(svg: string): number {
  const start = svg.indexOf('class="mark-rect role-mark');
  if (start < 0) return 0;
  const group = svg.slice(start, svg.indexOf('</g>', start));
  return group.split('<path').length - 1;
}

function expectWellDrawn(chart: RenderedChart): void {
  expect(pngSize(chart.png)).toEqual({ width: chart.width * PIXEL_RATIO, height: chart.height * PIXEL_RATIO });
  expect(chart.svg).not.toMatch(/NaN|Infinity|undefined/);
  svgTexts(chart.svg);
}

const attainmentInput = (entities: AttainmentChartInput['entities'], overrides: Partial<AttainmentChartInput> = {}): AttainmentChartInput => ({
  title: 'Attainment by rep',
  locale: 'en',
  rag: { green: 1, amber: 0.8 },
  labels: { quotaLine: 'Quota', noQuota: 'no quota', noData: 'No data' },
  entities,
  ...overrides,
});

const TEAM_WEST = [
  { name: 'Ana Peña', attainment: 1.04 },
  { name: 'Ben Ito', attainment: 0.67 },
  { name: 'Carla Ruiz', attainment: null },
  { name: 'Dev Shah', attainment: 0.85 },
];

const coverageInput = (entities: CoverageChartInput['entities'], overrides: Partial<CoverageChartInput> = {}): CoverageChartInput => ({
  title: 'Pipeline coverage',
  locale: 'en',
  labels: { target: 'Target', quotaMet: 'quota met', notApplicable: 'n/a', noData: 'No data' },
  entities,
  ...overrides,
});

const trendInput = (quarters: RevenueTrendChartInput['quarters'], overrides: Partial<RevenueTrendChartInput> = {}): RevenueTrendChartInput => ({
  title: 'Revenue, five quarters',
  locale: 'en',
  currency: 'USD',
  labels: { revenue: 'Revenue', quota: 'Quota', noData: 'No data' },
  quarters,
  ...overrides,
});

const FIVE_QUARTERS = [
  { label: 'FY2026-Q3', revenue: 98_000_000, quota: 120_000_000 },
  { label: 'FY2026-Q4', revenue: 131_500_000, quota: 120_000_000 },
  { label: 'FY2027-Q1', revenue: 112_000_000, quota: null },
  { label: 'FY2027-Q2', revenue: 141_000_000, quota: 150_000_000 },
  { label: 'FY2027-Q3', revenue: 123_000_000, quota: 150_000_000 },
];

const MOVEMENT_LABELS_EN = {
  opening: 'Opening',
  new: 'New',
  pulledIn: 'Pulled in',
  increased: 'Increased',
  transferredIn: 'Transferred in',
  pushedOut: 'Pushed out',
  decreased: 'Decreased',
  won: 'Won',
  lost: 'Lost',
  removed: 'Removed',
  transferredOut: 'Transferred out',
  closing: 'Closing',
  noData: 'No data',
};

/** A movement whose closing figure is computed from the terms, as pipeline-movement.ts does. */
function movement(terms: Omit<MovementFigures, 'closing'>): MovementFigures {
  const closing =
    terms.opening + terms.new + terms.pulledIn + terms.increased + terms.transferredIn -
    terms.pushedOut - terms.decreased - terms.won - terms.lost - terms.removed - terms.transferredOut;
  return { ...terms, closing };
}

const WEEK_MOVEMENT = movement({
  opening: 410_000_000,
  new: 34_000_000,
  pulledIn: 5_000_000,
  increased: 2_500_000,
  transferredIn: 0,
  pushedOut: 12_000_000,
  decreased: 1_000_000,
  won: 21_000_000,
  lost: 8_000_000,
  removed: 500_000,
  transferredOut: 0,
});

const waterfallInput = (figures: MovementFigures, overrides: Partial<MovementWaterfallChartInput> = {}): MovementWaterfallChartInput => ({
  title: 'Pipeline movement',
  locale: 'en',
  currency: 'USD',
  labels: MOVEMENT_LABELS_EN,
  movement: figures,
  ...overrides,
});

// ---------------------------------------------------------------- formatting

describe('chart number formats', () => {
  it('derives the minor-unit exponent from Intl', () => {
    expect(minorUnitExponent('USD')).toBe(2);
    expect(minorUnitExponent('JPY')).toBe(0);
    expect(minorUnitExponent('KWD')).toBe(3);
    expect(() => minorUnitExponent('DOLLARS')).toThrow(RangeError);
  });

  it('formats money compactly in English and Spanish, from minor units', () => {
    expect(formatMoney(123_000_000, 'USD', 'en')).toBe('$1.2M');
    expect(formatMoney(31_200_000, 'USD', 'en')).toBe('$312K');
    expect(formatMoney(-12_000_000, 'USD', 'en', true)).toBe('-$120K');
    expect(formatMoney(34_000_000, 'USD', 'en', true)).toBe('+$340K');
    expect(formatMoney(98_700, 'USD', 'en')).toBe('$987');
    expect(formatMoney(1_200_000, 'JPY', 'en')).toBe('¥1.2M');
    // Spanish: decimal comma, a (no-break) space before the unit and the symbol.
    expect(formatMoney(123_000_000, 'EUR', 'es').replace(/\s/g, ' ')).toBe('1,2 M €');
    expect(formatMoney(34_000_000, 'EUR', 'es', true).replace(/\s/g, ' ')).toBe('+340 mil €');
  });

  it('formats percentages and multiples per locale', () => {
    expect(formatPercent(0.82, 'en')).toBe('82%');
    expect(formatPercent(0.82, 'es').replace(/\s/g, ' ')).toBe('82 %');
    expect(formatMultiple(2.14, 'en')).toBe('2.1×');
    expect(formatMultiple(2.14, 'es')).toBe('2,1×');
    expect(formatMultiple(2, 'en', true)).toBe('2×');
  });

  it('makes any text drawable: no control characters, one line, bounded', () => {
    expect(chartText('Ana\u0000 Peña\u0007\n\tCo')).toBe('Ana Peña Co');
    expect(chartText('lone \ud800 surrogate')).toBe('lone surrogate');
    expect(chartText('emoji 😀 stays')).toBe('emoji 😀 stays');
    expect(Array.from(chartText('x'.repeat(200)))).toHaveLength(120);
  });

  it('writes alt text as one sentence, cut after eight items with a count of the rest', () => {
    const items = Array.from({ length: 60 }, (_, index) => ({ name: `Rep ${index + 1}`, value: `${index}%` }));
    const alt = altSentence('Attainment by rep', items, 'No data');
    expect(alt).toBe('Attainment by rep: Rep 1 0%, Rep 2 1%, Rep 3 2%, Rep 4 3%, Rep 5 4%, Rep 6 5%, Rep 7 6%, Rep 8 7%, … (+52).');
    // Nine items fit: cutting one to say "+1" would save nothing.
    expect(altSentence('T', items.slice(0, 9), 'No data')).not.toContain('…');
    expect(altSentence('T', [], 'No data')).toBe('T: No data.');
  });
});

describe('font metrics', () => {
  const regular = readFontMetrics(readFileSync(new URL('../../../shared/reports/charts/fonts/DejaVuSans.ttf', import.meta.url)));
  const bold = readFontMetrics(readFileSync(new URL('../../../shared/reports/charts/fonts/DejaVuSans-Bold.ttf', import.meta.url)));

  it('measures text with the advance widths of the shipped font, not a flat 0.8 em', () => {
    // DejaVu Sans: W is 2025/2048 em, i is 569/2048 em, the space 651/2048 em.
    expect(regular.width('W', 2048)).toBe(2025);
    expect(regular.width('i', 2048)).toBe(569);
    expect(regular.width('ii i', 11)).toBeCloseTo((569 * 3 + 651) * 11 / 2048, 6);
    expect(bold.width('Ana Peña', 11)).toBeGreaterThan(regular.width('Ana Peña', 11));
    // Beyond the BMP (format 12 cmap) and missing glyphs still measure as something drawable.
    expect(regular.width('😀', 11)).toBeGreaterThan(0);
    expect(regular.width('\u4e2d', 11)).toBeGreaterThan(0);
    expect(regular.width('', 11)).toBe(0);
  });
});

// ---------------------------------------------------------------- attainment

describe('attainmentChart', () => {
  it('renders a PNG at twice the declared CSS size, with the declared width', async () => {
    const chart = await attainmentChart(attainmentInput(TEAM_WEST));
    expect(chart.width).toBe(600);
    expect(chart.height).toBeGreaterThan(100);
    expectWellDrawn(chart);
    const narrow = await attainmentChart(attainmentInput(TEAM_WEST, { width: 400 }));
    expect(narrow.width).toBe(400);
    expect(pngSize(narrow.png).width).toBe(800);
  });

  it('draws a bar and a label per rep, coloured by the RAG thresholds passed in', async () => {
    const chart = await attainmentChart(attainmentInput(TEAM_WEST));
    const texts = svgTexts(chart.svg);
    expect(texts).toEqual(expect.arrayContaining(['Ana Peña', 'Ben Ito', 'Carla Ruiz', 'Dev Shah', '104%', '67%', '85%', 'Quota']));
    expect(barCount(chart.svg)).toBe(3);
    const { rows } = attainmentChartSpec(attainmentInput(TEAM_WEST));
    expect(rows.map((row) => row.band)).toEqual(['green', 'red', null, 'amber']);
    const strict = attainmentChartSpec(attainmentInput(TEAM_WEST, { rag: { green: 1.1, amber: 0.6 } }));
    expect(strict.rows.map((row) => row.band)).toEqual(['amber', 'amber', null, 'amber']);
  });

  it('shows an entity without a quota as "no quota", never as a 0% bar or NaN', async () => {
    const chart = await attainmentChart(attainmentInput([{ name: 'Carla Ruiz', attainment: null }, { name: 'Ben Ito', attainment: 0.5 }]));
    expect(barCount(chart.svg)).toBe(1);
    const texts = svgTexts(chart.svg);
    expect(texts).toContain('no quota');
    expect(texts.filter((text) => text === '0%')).toHaveLength(1); // the axis tick, not a bar label
    expect(chart.svg).not.toContain('NaN');
    expect(chart.alt).toBe('Attainment by rep: Carla Ruiz no quota, Ben Ito 50%.');
    // Non-finite input is treated as no attainment too, not drawn.
    const odd = await attainmentChart(attainmentInput([{ name: 'X', attainment: Number.NaN }, { name: 'Y', attainment: Number.POSITIVE_INFINITY }]));
    expect(barCount(odd.svg)).toBe(0);
    expectWellDrawn(odd);
  });

  it('stops an outlier\'s bar at a cap so the others stay readable, keeping the true figure in its label', async () => {
    const input = attainmentInput([{ name: 'Tiny quota', attainment: 12 }, { name: 'Ben Ito', attainment: 0.67 }]);
    const { rows } = attainmentChartSpec(input);
    expect(rows[0]).toMatchObject({ attainment: 12, shown: 3, text: '1,200%' });
    expect(rows[1]).toMatchObject({ attainment: 0.67, shown: 0.67 });
    const chart = await attainmentChart(input);
    expect(svgTexts(chart.svg)).toEqual(expect.arrayContaining(['1,200%', '67%']));
    expect(svgTexts(chart.svg)).not.toContain('1,000%'); // no axis tick that far out
    expect(chart.alt).toBe('Attainment by rep: Tiny quota 1,200%, Ben Ito 67%.');
  });

  it('keeps the caller\'s order and gives two reps with the same name a bar each', () => {
    const { rows } = attainmentChartSpec(attainmentInput([{ name: 'Ana', attainment: null }, { name: 'Ana', attainment: 0.9 }, { name: 'Bo', attainment: 1 }]));
    expect(rows.map((row) => row.name)).toEqual(['Ana', 'Ana', 'Bo']);
    expect(new Set(rows.map((row) => row.row)).size).toBe(3);
  });

  it('grows with the number of reps: 60 stay legible, with truncated long names and a short alt text', async () => {
    const entities = Array.from({ length: 60 }, (_, index) => ({
      name: `Representative number ${index + 1} with a rather long double-barrelled surname`,
      attainment: index % 7 === 0 ? null : (index % 13) / 10,
    }));
    const chart = await attainmentChart(attainmentInput(entities));
    expect(chart.height).toBeGreaterThan(60 * 20);
    expectWellDrawn(chart);
    const labels = svgTexts(chart.svg).filter((text) => text.startsWith('Representative'));
    expect(labels).toHaveLength(60);
    for (const label of labels) expect(label.endsWith('…')).toBe(true);
    expect(chart.alt).toContain('(+52).');
    expect(chart.alt.length).toBeLessThan(600);
  });

  it('lays labels out with the font\'s real widths: narrow names are not cut, wide ones are cut to fit', async () => {
    const narrow = 'i'.repeat(40); // ~120 px in DejaVu Sans at 11 px; vega's 0.8 em guess says 352 px
    const wide = 'W'.repeat(40);
    const chart = await attainmentChart(attainmentInput([{ name: narrow, attainment: 0.5 }, { name: wide, attainment: 0.5 }]));
    const texts = svgTexts(chart.svg);
    expect(texts).toContain(narrow);
    const cut = texts.find((text) => text.startsWith('WWW'))!;
    expect(cut).toMatch(/^W+…$/);
    const metrics = readFontMetrics(readFileSync(new URL('../../../shared/reports/charts/fonts/DejaVuSans.ttf', import.meta.url)));
    expect(metrics.width(cut, 11)).toBeLessThanOrEqual(600 * 0.3);
    expect(metrics.width(cut, 11)).toBeGreaterThan(600 * 0.3 - 2 * metrics.width('W', 11));
  });

  it('compiles without vega-lite warnings', () => {
    expect(compileChart(attainmentChartSpec(attainmentInput(TEAM_WEST)).spec).warnings).toEqual([]);
  });
});

// ---------------------------------------------------------------- coverage, trend

describe('coverageChart', () => {
  const entities = [
    { name: 'Ana Peña', coverage: null, quotaMet: true },
    { name: 'Ben Ito', coverage: 1.4, quotaMet: false },
    { name: 'Carla Ruiz', coverage: null, quotaMet: false },
    { name: 'Dev Shah', coverage: 3.2, quotaMet: false },
    { name: 'Eve Ng', coverage: 42, quotaMet: false },
  ];

  it('tells "quota met" from n/a, draws bars only for real ratios and the target line', async () => {
    const chart = await coverageChart(coverageInput(entities));
    expectWellDrawn(chart);
    const texts = svgTexts(chart.svg);
    expect(texts).toEqual(expect.arrayContaining(['quota met', 'n/a', '1.4×', '3.2×', '42.0×'.replace('.0', ''), 'Target 3.0×']));
    expect(barCount(chart.svg)).toBe(3);
    const { rows } = coverageChartSpec(coverageInput(entities));
    expect(rows.map((row) => row.status)).toEqual(['quota-met', 'below', 'n/a', 'healthy', 'healthy']);
    // The outlier's bar stops at the cap; its label keeps the true value.
    expect(rows[4]!.shown).toBeLessThan(42);
    expect(chart.alt).toBe('Pipeline coverage: Ana Peña quota met, Ben Ito 1.4×, Carla Ruiz n/a, Dev Shah 3.2×, Eve Ng 42×.');
  });

  it('uses the target passed in', () => {
    const { rows, spec } = coverageChartSpec(coverageInput(entities, { target: 1.2 }));
    expect(rows[1]!.status).toBe('healthy');
    expect(JSON.stringify(spec)).toContain('Target 1.2×');
    expect(() => coverageChartSpec(coverageInput(entities, { target: 0 }))).toThrow(RangeError);
    expect(compileChart(spec).warnings).toEqual([]);
  });
});

describe('revenueTrendChart', () => {
  it('draws five quarters of revenue with a quota tick only where a quota is known', async () => {
    const chart = await revenueTrendChart(trendInput(FIVE_QUARTERS));
    expectWellDrawn(chart);
    const texts = svgTexts(chart.svg);
    expect(texts).toEqual(expect.arrayContaining(['FY2026-Q3', 'FY2027-Q3', '$980K', '$1.3M', 'Revenue', 'Quota']));
    expect(barCount(chart.svg)).toBe(5);
    const ticks = chart.svg.slice(chart.svg.indexOf('class="mark-rect role-mark layer_2_marks'));
    expect(ticks.slice(0, ticks.indexOf('</g>')).split('<path').length - 1).toBe(4);
    expect(chart.alt).toContain('FY2027-Q1 $1.1M, FY2027-Q2 $1.4M (Quota $1.5M)');
    expect(compileChart(revenueTrendChartSpec(trendInput(FIVE_QUARTERS)).spec).warnings).toEqual([]);
  });

  it('leaves the quota out of the legend when no quarter has one', async () => {
    const chart = await revenueTrendChart(trendInput(FIVE_QUARTERS.map((quarter) => ({ ...quarter, quota: null }))));
    expect(svgTexts(chart.svg)).not.toContain('Quota');
    expect(chart.alt).not.toContain('Quota');
  });
});

// ---------------------------------------------------------------- waterfall

describe('movementWaterfallChart', () => {
  it('walks from opening to closing: each bar starts where the previous ended, the changes sum to the closing amount', () => {
    const steps = movementWaterfallSteps(waterfallInput(WEEK_MOVEMENT));
    const [opening, ...rest] = steps;
    const closing = rest.pop()!;
    expect(opening).toMatchObject({ key: 'opening', kind: 'total', start: 0, end: WEEK_MOVEMENT.opening });
    expect(closing).toMatchObject({ key: 'closing', kind: 'total', start: 0, end: WEEK_MOVEMENT.closing });
    let level = opening!.end;
    for (const step of rest) {
      expect(step.start).toBe(level);
      expect(step.end - step.start).toBe(step.amount);
      expect(step.kind).toBe(step.amount < 0 ? 'down' : 'up');
      level = step.end;
    }
    expect(opening!.amount + rest.reduce((sum, step) => sum + step.amount, 0)).toBe(closing.amount);
    expect(level).toBe(closing.end);
    // Transfers that moved nothing are left out; the rest keep the METRICS.md order.
    expect(rest.map((step) => step.key)).toEqual(['new', 'pulledIn', 'increased', 'pushedOut', 'decreased', 'won', 'lost', 'removed']);
  });

  it('shows transfers when a deal changed owner', () => {
    const figures = movement({ ...WEEK_MOVEMENT, transferredIn: 700_000, transferredOut: 300_000 });
    const keys = movementWaterfallSteps(waterfallInput(figures)).map((step) => step.key);
    expect(keys).toEqual(['opening', 'new', 'pulledIn', 'increased', 'transferredIn', 'pushedOut', 'decreased', 'won', 'lost', 'removed', 'transferredOut', 'closing']);
  });

  it('refuses a movement that does not balance instead of drawing a wrong chart', () => {
    expect(() => movementWaterfallSteps(waterfallInput({ ...WEEK_MOVEMENT, closing: WEEK_MOVEMENT.closing + 1 }))).toThrow(MovementDoesNotBalanceError);
  });

  it('renders green rises, red falls and grey totals, labelled in the reporting currency', async () => {
    const chart = await movementWaterfallChart(waterfallInput(WEEK_MOVEMENT));
    expectWellDrawn(chart);
    expect(barCount(chart.svg)).toBe(10);
    const texts = svgTexts(chart.svg);
    expect(texts).toEqual(expect.arrayContaining(['Opening', 'Pushed out', 'Closing', '$4.1M', '+$340K', '-$120K']));
    expect(chart.svg).toContain('fill="#2e7d32"');
    expect(chart.svg).toContain('fill="#c62828"');
    expect(chart.svg).toContain('fill="#8a8f98"');
    expect(chart.alt).toMatch(/^Pipeline movement: Opening \$4\.1M, New \+\$340K, /);
    expect(compileChart(movementWaterfallChartSpec(waterfallInput(WEEK_MOVEMENT)).spec).warnings).toEqual([]);
  });
});

// ---------------------------------------------------------------- all charts

describe('every chart', () => {
  it('renders "no data" for empty input instead of throwing', async () => {
    const zero = movement({ opening: 0, new: 0, pulledIn: 0, increased: 0, transferredIn: 0, pushedOut: 0, decreased: 0, won: 0, lost: 0, removed: 0, transferredOut: 0 });
    const charts = await Promise.all([
      attainmentChart(attainmentInput([])),
      coverageChart(coverageInput([])),
      revenueTrendChart(trendInput([])),
      movementWaterfallChart(waterfallInput(zero)),
    ]);
    for (const chart of charts) {
      expectWellDrawn(chart);
      expect(svgTexts(chart.svg)).toContain('No data');
      expect(chart.alt).toMatch(/: No data\.$/);
      expect(barCount(chart.svg)).toBe(0);
    }
  });

  it('is deterministic: the same input gives byte-identical PNG and SVG, whatever was drawn before or alongside', async () => {
    const first = await attainmentChart(attainmentInput(TEAM_WEST));
    await Promise.all([coverageChart(coverageInput([{ name: 'Z', coverage: 2, quotaMet: false }])), movementWaterfallChart(waterfallInput(WEEK_MOVEMENT))]);
    const [second, third] = await Promise.all([attainmentChart(attainmentInput(TEAM_WEST)), attainmentChart(attainmentInput(TEAM_WEST))]);
    for (const again of [second!, third!]) {
      expect(again.svg).toBe(first.svg);
      expect(Buffer.from(again.png).equals(Buffer.from(first.png))).toBe(true);
    }
    const different = await attainmentChart(attainmentInput([...TEAM_WEST.slice(1), { name: 'Ana Peña', attainment: 1.05 }]));
    expect(Buffer.from(different.png).equals(Buffer.from(first.png))).toBe(false);
  });

  it('draws hostile names as text: escaped in the SVG, parsed by an XML parser and by resvg', async () => {
    const hostile = [
      '<script>alert(1)</script>',
      '=HYPERLINK("http://x","y")',
      'Peña & Co "quoted" \'single\'',
      'Emoji 😀 ★ ✓',
      'Control\u0001\u001b chars',
      ']]><!-- -->',
      'W'.repeat(200),
    ];
    const inputs = hostile.map((name, index) => ({ name, attainment: index / 5 }));
    const chart = await attainmentChart(attainmentInput(inputs, { width: 1200 }));
    expectWellDrawn(chart);
    expect(chart.svg).not.toContain('<script');
    expect(chart.svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const texts = svgTexts(chart.svg);
    expect(texts).toEqual(
      expect.arrayContaining(['<script>alert(1)</script>', '=HYPERLINK("http://x","y")', 'Peña & Co "quoted" \'single\'', 'Emoji 😀 ★ ✓', 'Control chars', ']]><!-- -->']),
    );
    const long = texts.find((text) => text.startsWith('WWW'))!;
    expect(long.endsWith('…')).toBe(true);
    expect(long.length).toBeLessThan(60);
    // Truncation never cuts an emoji in half (a lone surrogate is not text).
    const emoji = await attainmentChart(attainmentInput([{ name: '😀'.repeat(100), attainment: 0.5 }]));
    expect(emoji.svg).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    expect(svgTexts(emoji.svg).find((text) => text.startsWith('😀'))).toMatch(/^(😀)+…$/u);
    // resvg parses what vega wrote (the PNG exists and is the right size), and parses it again on its own.
    expect(() => new Resvg(chart.svg).free()).not.toThrow();
    expect(chart.alt).toContain('<script>alert(1)</script>'); // alt is plain text: the caller escapes it for HTML
    const trend = await revenueTrendChart(trendInput([{ label: '<b>Q1</b>&"2"', revenue: 100, quota: null }], { title: '<title>&amp;' }));
    expect(svgTexts(trend.svg)).toEqual(expect.arrayContaining(['<b>Q1</b>&"2"', '<title>&amp;', '$0', '$1']));
    expect(svgTexts(trend.svg).filter((text) => text === '$0')).toHaveLength(1);
  });

  it('formats axes and labels in Spanish', async () => {
    const labelsEs = { ...MOVEMENT_LABELS_EN, opening: 'Inicial', closing: 'Final', new: 'Nuevo', noData: 'Sin datos' };
    const waterfall = await movementWaterfallChart(waterfallInput(WEEK_MOVEMENT, { locale: 'es', currency: 'EUR', labels: labelsEs }));
    const texts = svgTexts(waterfall.svg).map((text) => text.replace(/\s/g, ' '));
    expect(texts).toEqual(expect.arrayContaining(['Inicial', '4,1 M €', '+340 mil €', '-120 mil €', '1 M €']));
    expect(texts.some((text) => /^\$|M\$|K$/.test(text))).toBe(false);

    const attainment = await attainmentChart(attainmentInput(TEAM_WEST, { locale: 'es', labels: { quotaLine: 'Cuota', noQuota: 'sin cuota', noData: 'Sin datos' } }));
    const attainmentTexts = svgTexts(attainment.svg).map((text) => text.replace(/\s/g, ' '));
    expect(attainmentTexts).toEqual(expect.arrayContaining(['104 %', '100 %', 'sin cuota', 'Cuota']));
    expect(attainment.alt.replace(/\s/g, ' ')).toContain('Ana Peña 104 %, Ben Ito 67 %, Carla Ruiz sin cuota');

    const coverage = await coverageChart(coverageInput([{ name: 'Ben', coverage: 1.44, quotaMet: false }], { locale: 'es', labels: { target: 'Objetivo', quotaMet: 'cuota cumplida', notApplicable: 'n/d', noData: 'Sin datos' } }));
    expect(svgTexts(coverage.svg)).toEqual(expect.arrayContaining(['1,4×', 'Objetivo 3,0×', '2×']));
  });

  it('numbers clip paths and gradients per SVG, not per process', () => {
    const svg = '<svg><clipPath id="clip17"/><g clip-path="url(#clip17)"/><linearGradient id="gradient_4"/><path fill="url(#gradient_4)"/><g clip-path="url(#clip9)"/><clipPath id="clip9"/></svg>';
    expect(renumberDefinitions(svg)).toBe(
      '<svg><clipPath id="clip1"/><g clip-path="url(#clip1)"/><linearGradient id="gradient_2"/><path fill="url(#gradient_2)"/><g clip-path="url(#clip3)"/><clipPath id="clip3"/></svg>',
    );
  });

  it('refuses a width that is not a sensible whole number of pixels', async () => {
    await expect(attainmentChart(attainmentInput(TEAM_WEST, { width: 600.5 }))).rejects.toThrow(RangeError);
    await expect(attainmentChart(attainmentInput(TEAM_WEST, { width: 10 }))).rejects.toThrow(/between/);
  });
});
