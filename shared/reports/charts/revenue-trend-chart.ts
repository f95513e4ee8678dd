// Revenue over the last five fiscal quarters: one bar per quarter with its
// amount on top, and the quarter's quota as a dark tick across the bar where a
// quota is known (no quota, no tick — never a tick at zero).
import type { TopLevelSpec } from 'vega-lite';
import type { MinorUnits } from '../../domain/types.js';
import { altSentence, chartText, formatMoney, minorUnitExponent } from './chart-format.js';
import { renderChart, type RenderedChart } from './chart-render.js';
import { axisFormat, CHART_COLOURS, chartWidth, distinctRowKeys, frameSpec, noDataSpec, type ChartFrame } from './chart-theme.js';

export interface RevenueTrendChartInput extends ChartFrame {
  /** Oldest first, usually five fiscal quarters; `label` e.g. "FY2027-Q3". */
  quarters: readonly { label: string; revenue: MinorUnits; quota: MinorUnits | null }[];
  /** ISO 4217 code of the reporting currency; amounts are its minor units. */
  currency: string;
  labels: { revenue: string; quota: string; noData: string };
}

export interface RevenueTrendRow {
  quarter: string;
  revenue: MinorUnits;
  quota: MinorUnits | null;
  text: string;
}

const PLOT_HEIGHT = 220;

export function revenueTrendRows(input: RevenueTrendChartInput): RevenueTrendRow[] {
  minorUnitExponent(input.currency); // a RangeError naming the code, before anything is drawn
  const labels = distinctRowKeys(input.quarters.map((quarter) => chartText(quarter.label)));
  return input.quarters.map((quarter, index) => ({
    quarter: labels[index]!,
    revenue: quarter.revenue,
    quota: quarter.quota,
    text: formatMoney(quarter.revenue, input.currency, input.locale),
  }));
}

export function revenueTrendChartSpec(input: RevenueTrendChartInput): { spec: TopLevelSpec; alt: string; rows: RevenueTrendRow[] } {
  const rows = revenueTrendRows(input);
  const quotaWord = chartText(input.labels.quota);
  const alt = altSentence(
    chartText(input.title),
    rows.map((row) => ({
      name: row.quarter,
      value: row.quota === null ? row.text : `${row.text} (${quotaWord} ${formatMoney(row.quota, input.currency, input.locale)})`,
    })),
    chartText(input.labels.noData),
  );
  if (rows.length === 0) return { spec: noDataSpec(input, input.labels.noData), alt, rows };

  const width = chartWidth(input);
  const revenueWord = chartText(input.labels.revenue);
  const hasQuota = rows.some((row) => row.quota !== null);
  const series = hasQuota ? [revenueWord, quotaWord] : [revenueWord];
  const color = { type: 'nominal', scale: { domain: series, range: [CHART_COLOURS.revenue, CHART_COLOURS.reference].slice(0, series.length) } } as const;
  const high = Math.max(1, ...rows.map((row) => Math.max(row.revenue, row.quota ?? 0))) * 1.15;
  const low = Math.min(0, ...rows.map((row) => row.revenue));
  // The tick spans the bar: the band is (plot width ÷ quarters); the bar takes 60% of it.
  const tickSize = Math.max(8, Math.round(((width - 90) / rows.length) * 0.72));
  const x = { field: 'quarter', type: 'nominal', sort: null, axis: { title: null, labelAngle: 0, labelLimit: 120 } } as const;

  const spec: TopLevelSpec = {
    ...frameSpec(input),
    height: PLOT_HEIGHT,
    data: { values: rows },
    layer: [
      {
        mark: { type: 'bar', width: { band: 0.6 }, opacity: 1 },
        encoding: {
          x,
          y: {
            field: 'revenue',
            type: 'quantitative',
            scale: { domain: [low, high], nice: false },
            axis: { title: null, ...axisFormat({ kind: 'money', currency: input.currency, locale: input.locale }), tickCount: 5, grid: true },
          },
          color: { ...color, datum: revenueWord },
        },
      },
      {
        mark: { type: 'text', baseline: 'bottom', dy: -3, fontSize: 11, color: '#222222' },
        encoding: { x, y: { field: 'revenue', type: 'quantitative' }, text: { field: 'text', type: 'nominal' } },
      },
      ...(hasQuota
        ? [
            {
              transform: [{ filter: 'datum.quota !== null' }],
              mark: { type: 'tick' as const, thickness: 3, size: tickSize, opacity: 1 },
              encoding: { x, y: { field: 'quota', type: 'quantitative' as const }, color: { ...color, datum: quotaWord } },
            },
          ]
        : []),
    ],
  };
  return { spec, alt, rows };
}

/** Revenue by quarter with the quota as a tick, as a PNG (and SVG) with its alt text. */
export async function revenueTrendChart(input: RevenueTrendChartInput): Promise<RenderedChart> {
  const { spec, alt } = revenueTrendChartSpec(input);
  return renderChart(spec, alt);
}
