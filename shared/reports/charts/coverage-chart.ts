// Pipeline coverage per rep or team: open pipeline ÷ gap to quota as
// horizontal bars against the target rule (default 3×). Green at or above the
// target, amber below. Coverage has two ways of being absent and they read
// differently: "quota met" (the gap is zero — good news) and "n/a" (no quota).
// One huge ratio (a tiny gap) would squash every other bar, so bars stop at a
// cap and keep their true value in the label.
import type { TopLevelSpec } from 'vega-lite';
import type { Ratio } from '../../domain/metrics.js';
import { altSentence, chartText, formatMultiple } from './chart-format.js';
import { renderChart, type RenderedChart } from './chart-render.js';
import { axisFormat, CHART_COLOURS, chartWidth, distinctRowKeys, entityRowAxis, frameSpec, noDataSpec, type ChartFrame } from './chart-theme.js';

export interface CoverageChartInput extends ChartFrame {
  /** `coverage` null: "quota met" when `quotaMet`, else n/a (no quota). */
  entities: readonly { name: string; coverage: Ratio; quotaMet: boolean }[];
  /** Healthy at or above this multiple; default 3. */
  target?: number;
  labels: {
    /** Before the target multiple on its rule, e.g. "Target" → "Target 3.0×". */
    target: string;
    quotaMet: string;
    notApplicable: string;
    noData: string;
  };
}

export type CoverageStatus = 'healthy' | 'below' | 'quota-met' | 'n/a';

export interface CoverageRow {
  row: string;
  name: string;
  coverage: Ratio;
  /** Where the bar ends: the coverage, capped so one outlier does not flatten the rest. */
  shown: number | null;
  status: CoverageStatus;
  text: string;
}

export const DEFAULT_COVERAGE_TARGET = 3;
const ROW_STEP = 20;

export function coverageRows(input: CoverageChartInput): { rows: CoverageRow[]; cap: number; target: number } {
  const target = input.target ?? DEFAULT_COVERAGE_TARGET;
  if (!(target > 0) || !Number.isFinite(target)) throw new RangeError(`coverage target ${target} is not a positive number`);
  const names = input.entities.map((entity) => chartText(entity.name));
  const keys = distinctRowKeys(names);
  const measured = input.entities.flatMap((entity) =>
    entity.coverage !== null && Number.isFinite(entity.coverage) ? [entity.coverage] : [],
  );
  const cap = Math.max(target * 1.5, Math.min(Math.max(0, ...measured), target * 4));
  const rows = input.entities.map((entity, index): CoverageRow => {
    const coverage = entity.coverage !== null && Number.isFinite(entity.coverage) ? entity.coverage : null;
    const base = { row: keys[index]!, name: names[index]! };
    if (coverage === null) {
      return entity.quotaMet
        ? { ...base, coverage, shown: null, status: 'quota-met', text: chartText(input.labels.quotaMet) }
        : { ...base, coverage, shown: null, status: 'n/a', text: chartText(input.labels.notApplicable) };
    }
    return {
      ...base,
      coverage,
      shown: Math.min(coverage, cap),
      status: coverage >= target ? 'healthy' : 'below',
      text: formatMultiple(coverage, input.locale),
    };
  });
  return { rows, cap, target };
}

export function coverageChartSpec(input: CoverageChartInput): { spec: TopLevelSpec; alt: string; rows: CoverageRow[] } {
  const { rows, cap, target } = coverageRows(input);
  const alt = altSentence(chartText(input.title), rows.map((row) => ({ name: row.name, value: row.text })), chartText(input.labels.noData));
  if (rows.length === 0) return { spec: noDataSpec(input, input.labels.noData), alt, rows };

  const width = chartWidth(input);
  const y = entityRowAxis(rows, width);
  const isMeasured = 'datum.shown !== null';

  const spec: TopLevelSpec = {
    ...frameSpec(input),
    height: { step: ROW_STEP },
    data: { values: rows },
    layer: [
      {
        transform: [{ filter: isMeasured }],
        mark: { type: 'bar', height: { band: 0.75 } },
        encoding: {
          y,
          x: {
            field: 'shown',
            type: 'quantitative',
            scale: { domain: [0, cap * 1.15], nice: false },
            axis: { title: null, ...axisFormat({ kind: 'multiple', locale: input.locale }), tickCount: 6, grid: true },
          },
          color: {
            field: 'status',
            type: 'nominal',
            scale: { domain: ['below', 'healthy'], range: [CHART_COLOURS.amber, CHART_COLOURS.green] },
            legend: null,
          },
        },
      },
      {
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 4, fontSize: 11 },
        encoding: {
          y,
          // Absent coverage is written where a bar would start.
          x: { field: 'shown', type: 'quantitative' },
          text: { field: 'text', type: 'nominal' },
          color: { field: 'ink', type: 'nominal', scale: null },
        },
        transform: [
          {
            calculate: `datum.status === 'quota-met' ? '${CHART_COLOURS.green}' : datum.status === 'n/a' ? '${CHART_COLOURS.muted}' : '#222222'`,
            as: 'ink',
          },
          { calculate: 'datum.shown === null ? 0 : datum.shown', as: 'shown' },
        ],
      },
      {
        data: { values: [{ text: `${chartText(input.labels.target)} ${formatMultiple(target, input.locale)}` }] },
        layer: [
          { mark: { type: 'rule', color: CHART_COLOURS.reference, strokeDash: [4, 3], strokeWidth: 1.5 }, encoding: { x: { datum: target, type: 'quantitative' } } },
          {
            mark: { type: 'text', align: 'center', baseline: 'bottom', dy: -4, fontSize: 11, color: CHART_COLOURS.reference, limit: 160 },
            encoding: { x: { datum: target, type: 'quantitative' }, y: { value: 0 }, text: { field: 'text', type: 'nominal' } },
          },
        ],
      },
    ],
  };
  return { spec, alt, rows };
}

/** Pipeline coverage by rep or team as a PNG (and SVG) with its alt text. */
export async function coverageChart(input: CoverageChartInput): Promise<RenderedChart> {
  const { spec, alt } = coverageChartSpec(input);
  return renderChart(spec, alt);
}
