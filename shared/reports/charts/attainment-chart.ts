// Attainment by rep (or team): one horizontal bar per entity, coloured by the
// RAG thresholds, a dashed rule at 100% (the quota line). An entity without a
// quota has no attainment: it gets a "no quota" note where its bar would
// start, never a zero-length bar. Rows keep the caller's order (the scorecard
// table's), and the chart grows a fixed step per row so 60 reps stay legible.
import type { TopLevelSpec } from 'vega-lite';
import type { Ratio } from '../../domain/metrics.js';
import { altSentence, chartText, formatPercent } from './chart-format.js';
import { renderChart, type RenderedChart } from './chart-render.js';
import { axisFormat, CHART_COLOURS, chartWidth, distinctRowKeys, entityRowAxis, frameSpec, noDataSpec, type ChartFrame } from './chart-theme.js';

export interface RagThresholds {
  /** At or above: green. */
  green: number;
  /** At or above (and below green): amber; below: red. */
  amber: number;
}

export interface AttainmentChartInput extends ChartFrame {
  entities: readonly { name: string; attainment: Ratio }[];
  rag: RagThresholds;
  labels: {
    /** Next to the 100% rule, e.g. "Quota" / "Cuota". */
    quotaLine: string;
    /** Instead of a bar for an entity without a quota, e.g. "no quota" / "sin cuota". */
    noQuota: string;
    /** The whole chart when there are no entities, e.g. "No data" / "Sin datos". */
    noData: string;
  };
}

export type RagBand = 'green' | 'amber' | 'red';

export interface AttainmentRow {
  row: string;
  name: string;
  attainment: Ratio;
  /** Where the bar ends: the attainment, capped so one tiny quota does not flatten every other bar. */
  shown: number | null;
  band: RagBand | null;
  text: string;
}

/** Pixels per bar: 11 px labels need ~16 px; 20 leaves air between bars. */
export const ATTAINMENT_ROW_STEP = 20;
/** Bars stop at 300% (or at the highest attainment below it, at least 150%); the label keeps the true figure. */
const MAX_BAR = 3;

export function ragBand(ratio: number, rag: RagThresholds): RagBand {
  if (ratio >= rag.green) return 'green';
  return ratio >= rag.amber ? 'amber' : 'red';
}

export function attainmentRows(input: AttainmentChartInput): AttainmentRow[] {
  const names = input.entities.map((entity) => chartText(entity.name));
  const rows = distinctRowKeys(names);
  const noQuota = chartText(input.labels.noQuota);
  const measured = input.entities.flatMap((entity) => (entity.attainment !== null && Number.isFinite(entity.attainment) ? [entity.attainment] : []));
  const cap = Math.max(1.5, Math.min(Math.max(0, ...measured), MAX_BAR));
  return input.entities.map((entity, index) => {
    const attainment = entity.attainment !== null && Number.isFinite(entity.attainment) ? entity.attainment : null;
    return {
      row: rows[index]!,
      name: names[index]!,
      attainment,
      shown: attainment === null ? null : Math.min(attainment, cap),
      band: attainment === null ? null : ragBand(attainment, input.rag),
      text: attainment === null ? noQuota : formatPercent(attainment, input.locale),
    };
  });
}

export function attainmentChartSpec(input: AttainmentChartInput): { spec: TopLevelSpec; alt: string; rows: AttainmentRow[] } {
  const rows = attainmentRows(input);
  const title = chartText(input.title);
  const alt = altSentence(title, rows.map((row) => ({ name: row.name, value: row.text })), chartText(input.labels.noData));
  if (rows.length === 0) return { spec: noDataSpec(input, input.labels.noData), alt, rows };

  const values = rows.flatMap((row) => (row.shown === null ? [] : [row.shown]));
  const low = Math.min(0, ...values);
  // Headroom right of the longest bar (and of the quota rule) for its label.
  const high = Math.max(1.2, ...values) * 1.15;
  const width = chartWidth(input);
  const isMeasured = 'datum.shown !== null';
  const y = entityRowAxis(rows, width);

  const spec: TopLevelSpec = {
    ...frameSpec(input),
    height: { step: ATTAINMENT_ROW_STEP },
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
            scale: { domain: [low, high], nice: false, zero: true },
            axis: { title: null, ...axisFormat({ kind: 'percent', locale: input.locale }), tickCount: 6, grid: true },
          },
          color: {
            field: 'band',
            type: 'nominal',
            scale: { domain: ['red', 'amber', 'green'], range: [CHART_COLOURS.red, CHART_COLOURS.amber, CHART_COLOURS.green] },
            legend: null,
          },
        },
      },
      {
        transform: [{ filter: isMeasured }],
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 4, fontSize: 11, color: '#222222' },
        encoding: { y, x: { field: 'shown', type: 'quantitative' }, text: { field: 'text', type: 'nominal' } },
      },
      {
        transform: [{ filter: `!(${isMeasured})` }],
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 4, fontSize: 11, color: CHART_COLOURS.muted },
        encoding: { y, x: { datum: 0, type: 'quantitative' }, text: { field: 'text', type: 'nominal' } },
      },
      {
        data: { values: [{}] },
        mark: { type: 'rule', color: CHART_COLOURS.reference, strokeDash: [4, 3], strokeWidth: 1.5 },
        encoding: { x: { datum: 1, type: 'quantitative' } },
      },
      {
        data: { values: [{ text: chartText(input.labels.quotaLine) }] },
        mark: { type: 'text', align: 'center', baseline: 'bottom', dy: -4, fontSize: 11, color: CHART_COLOURS.reference, limit: 120 },
        encoding: { x: { datum: 1, type: 'quantitative' }, y: { value: 0 }, text: { field: 'text', type: 'nominal' } },
      },
    ],
  };
  return { spec, alt, rows };
}

/** Attainment by rep or team as a PNG (and SVG) with its alt text. */
export async function attainmentChart(input: AttainmentChartInput): Promise<RenderedChart> {
  const { spec, alt } = attainmentChartSpec(input);
  return renderChart(spec, alt);
}
