// The pipeline movement as a classic waterfall: the opening pipeline as a grey
// column, each inflow a green bar floating up from where the previous one
// ended, each outflow a red bar floating down, the closing pipeline grey. The
// steps are computed from the figures, and the walk must land on the closing
// figure to the cent (pipeline-movement.ts balances by construction), so a
// chart that disagrees with its own table is refused rather than drawn.
import type { TopLevelSpec } from 'vega-lite';
import { INFLOW_TERMS, OUTFLOW_TERMS, type MovementFigures, type MovementTerm } from '../../domain/pipeline-movement.js';
import type { MinorUnits } from '../../domain/types.js';
import { altSentence, chartText, formatMoney, minorUnitExponent } from './chart-format.js';
import { renderChart, type RenderedChart } from './chart-render.js';
import { axisFormat, CHART_COLOURS, chartWidth, distinctRowKeys, frameSpec, noDataSpec, type ChartFrame } from './chart-theme.js';

export interface MovementWaterfallChartInput extends ChartFrame {
  movement: MovementFigures;
  /** ISO 4217 code of the reporting currency; amounts are its minor units. */
  currency: string;
  /** A label per bar, e.g. { opening: 'Opening', new: 'New', pushedOut: 'Pushed out', … }, and the empty chart's text. */
  labels: Record<keyof MovementFigures, string> & { noData: string };
}

export type WaterfallStepKind = 'total' | 'up' | 'down';

export interface WaterfallStep {
  key: keyof MovementFigures;
  label: string;
  kind: WaterfallStepKind;
  /** Signed change in minor units (totals: the total itself). */
  amount: MinorUnits;
  /** Where the bar starts and ends on the pipeline axis, minor units. Totals run from 0. */
  start: MinorUnits;
  end: MinorUnits;
  text: string;
}

export class MovementDoesNotBalanceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MovementDoesNotBalanceError';
  }
}

/** The order bars are drawn in: inflows, then outflows, each in pipeline-movement.ts's order. */
const STEP_TERMS: readonly MovementTerm[] = [...INFLOW_TERMS, ...OUTFLOW_TERMS];
/** Shown only when something moved: transfers cancel out at company level and mean nothing there. */
const OPTIONAL_TERMS: ReadonlySet<MovementTerm> = new Set(['transferredIn', 'transferredOut']);
const PLOT_HEIGHT = 240;

export function movementWaterfallSteps(input: MovementWaterfallChartInput): WaterfallStep[] {
  minorUnitExponent(input.currency);
  const { movement, currency, locale } = input;
  const inflows = new Set<MovementTerm>(INFLOW_TERMS);
  const shown = STEP_TERMS.filter((term) => !OPTIONAL_TERMS.has(term) || movement[term] !== 0);
  const labels = distinctRowKeys(['opening', ...shown, 'closing'].map((key) => chartText(input.labels[key as keyof MovementFigures])));

  const steps: WaterfallStep[] = [
    { key: 'opening', label: labels[0]!, kind: 'total', amount: movement.opening, start: 0, end: movement.opening, text: formatMoney(movement.opening, currency, locale) },
  ];
  let level = movement.opening;
  shown.forEach((term, index) => {
    const amount = inflows.has(term) ? movement[term] : -movement[term];
    steps.push({
      key: term,
      label: labels[index + 1]!,
      kind: amount < 0 ? 'down' : 'up',
      amount,
      start: level,
      end: level + amount,
      text: formatMoney(amount, currency, locale, true),
    });
    level += amount;
  });
  if (level !== movement.closing) {
    throw new MovementDoesNotBalanceError(
      `pipeline movement does not balance: opening ${movement.opening} plus the movements gives ${level}, but closing is ${movement.closing} (minor units of ${currency})`,
    );
  }
  steps.push({ key: 'closing', label: labels.at(-1)!, kind: 'total', amount: movement.closing, start: 0, end: movement.closing, text: formatMoney(movement.closing, currency, locale) });
  return steps;
}

export function movementWaterfallChartSpec(input: MovementWaterfallChartInput): { spec: TopLevelSpec; alt: string; steps: WaterfallStep[] } {
  const steps = movementWaterfallSteps(input);
  const nothing = steps.every((step) => step.amount === 0);
  const alt = altSentence(
    chartText(input.title),
    nothing ? [] : steps.filter((step) => step.kind === 'total' || step.amount !== 0).map((step) => ({ name: step.label, value: step.text })),
    chartText(input.labels.noData),
  );
  if (nothing) return { spec: noDataSpec(input, input.labels.noData), alt, steps };

  const width = chartWidth(input);
  const high = Math.max(1, ...steps.map((step) => Math.max(step.start, step.end))) * 1.12;
  const low = Math.min(0, ...steps.map((step) => Math.min(step.start, step.end)));
  const x = {
    field: 'label',
    type: 'nominal',
    sort: null,
    scale: { domain: steps.map((step) => step.label) },
    axis: { title: null, labelAngle: -35, labelAlign: 'right', labelLimit: Math.round(width * 0.2) },
  } as const;

  const spec: TopLevelSpec = {
    ...frameSpec(input),
    height: PLOT_HEIGHT,
    data: { values: steps.map((step) => ({ ...step, top: Math.max(step.start, step.end) })) },
    layer: [
      {
        mark: { type: 'bar', width: { band: 0.7 } },
        encoding: {
          x,
          y: {
            field: 'start',
            type: 'quantitative',
            scale: { domain: [low, high], nice: false },
            axis: { title: null, ...axisFormat({ kind: 'money', currency: input.currency, locale: input.locale }), tickCount: 5, grid: true },
          },
          y2: { field: 'end' },
          color: {
            field: 'kind',
            type: 'nominal',
            scale: { domain: ['total', 'up', 'down'], range: [CHART_COLOURS.total, CHART_COLOURS.green, CHART_COLOURS.red] },
            legend: null,
          },
        },
      },
      {
        mark: { type: 'text', baseline: 'bottom', dy: -3, fontSize: 9, color: '#222222' },
        encoding: { x, y: { field: 'top', type: 'quantitative' }, text: { field: 'text', type: 'nominal' } },
      },
    ],
  };
  return { spec, alt, steps };
}

/** The pipeline movement waterfall as a PNG (and SVG) with its alt text. */
export async function movementWaterfallChart(input: MovementWaterfallChartInput): Promise<RenderedChart> {
  const { spec, alt } = movementWaterfallChartSpec(input);
  return renderChart(spec, alt);
}
