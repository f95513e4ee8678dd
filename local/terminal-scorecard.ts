// The scorecard for the terminal. Up to COMPACT_ABOVE reps: one row per rep,
// grouped by team, and the company. Above that (or unless every rep is asked
// for): one row per team and the company, then the top and bottom reps by
// attainment, so a large organisation fits on a screen.
import Table from 'cli-table3';
import type { EntityMetrics, MetricsResult } from '../shared/domain/metrics.js';
import { terminalLabels, type TerminalLabels } from './terminal-labels.js';

/** More reps than this and the terminal shows teams and the top and bottom reps. */
export const COMPACT_ABOVE = 25;
/** Reps shown at each end of the compact scorecard. */
export const TOP_AND_BOTTOM = 5;

export interface ScorecardOptions {
  /** Every rep, however many (`--all-reps`). */
  allReps?: boolean;
  labels?: TerminalLabels;
}

type ScorecardInput = Pick<MetricsResult, 'entities' | 'currency'>;

function formatters(labels: TerminalLabels, currency: string) {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  const moneyFormat = new Intl.NumberFormat(labels.numberLocale, { style: 'currency', currency, maximumFractionDigits: 0 });
  const na = labels.scorecard.notApplicable;
  return {
    money: (amount: number | null) => (amount === null ? na : moneyFormat.format(amount / 10 ** digits)),
    percent: (ratio: number | null) => (ratio === null ? na : `${Math.round(ratio * 100)}%`),
    coverage: (entity: EntityMetrics) =>
      entity.quotaMet ? labels.scorecard.quotaMet : entity.pipelineCoverage === null ? na : `${entity.pipelineCoverage.toFixed(1)}×`,
  };
}

function newTable(head: string[]): Table.Table {
  return new Table({
    head,
    colAligns: ['left', 'left', 'right', 'right', 'right', 'right', 'right'],
    style: { head: [], border: [], compact: true },
  });
}

/** Real reps: the Unassigned seat (owners nobody matches) is not a rep to rank or count. */
function repsOf(result: ScorecardInput): EntityMetrics[] {
  return result.entities.filter((entity) => entity.level === 'rep' && entity.id !== 'unassigned');
}

export function isCompact(result: ScorecardInput, options: ScorecardOptions = {}): boolean {
  return !options.allReps && repsOf(result).length > COMPACT_ABOVE;
}

export function renderScorecard(result: ScorecardInput, options: ScorecardOptions = {}): string {
  const labels = options.labels ?? terminalLabels('en');
  const text = labels.scorecard;
  const format = formatters(labels, result.currency);
  const figures = (entity: EntityMetrics) => [
    format.money(entity.revenue),
    format.money(entity.quota),
    format.percent(entity.attainment),
    format.percent(entity.pace),
    format.coverage(entity),
  ];
  const company = result.entities.find((entity) => entity.level === 'company');
  const companyRow = company ? [text.company, '', ...figures(company)] : null;
  const byAttainment = (a: EntityMetrics, b: EntityMetrics) => (b.attainment ?? -1) - (a.attainment ?? -1);

  if (!isCompact(result, options)) {
    const table = newTable([text.rep, text.team, text.revenue, text.quota, text.attainment, text.pace, text.coverage]);
    const reps = result.entities
      .filter((entity) => entity.level === 'rep')
      .sort((a, b) => (a.team ?? '').localeCompare(b.team ?? '') || byAttainment(a, b));
    for (const rep of reps) table.push([rep.name, rep.team ?? '', ...figures(rep)]);
    if (companyRow) table.push(companyRow);
    return table.toString();
  }

  const teams = result.entities
    .filter((entity) => entity.level === 'team')
    .sort((a, b) => (a.region ?? '').localeCompare(b.region ?? '') || byAttainment(a, b) || a.name.localeCompare(b.name));
  const teamTable = newTable([text.team, text.region, text.revenue, text.quota, text.attainment, text.pace, text.coverage]);
  for (const team of teams) teamTable.push([team.name, team.region ?? '', ...figures(team)]);
  if (companyRow) teamTable.push(companyRow);

  const reps = repsOf(result);
  const ranked = reps.filter((rep) => rep.attainment !== null).sort((a, b) => byAttainment(a, b) || a.name.localeCompare(b.name));
  const top = ranked.slice(0, TOP_AND_BOTTOM);
  const bottom = ranked.slice(Math.max(TOP_AND_BOTTOM, ranked.length - TOP_AND_BOTTOM));
  const repTable = (rows: EntityMetrics[]) => {
    const table = newTable([text.rep, text.team, text.revenue, text.quota, text.attainment, text.pace, text.coverage]);
    for (const rep of rows) table.push([rep.name, rep.team ?? '', ...figures(rep)]);
    return table.toString();
  };
  const lines = [text.teams(teams.length), teamTable.toString(), '', text.top(top.length), repTable(top)];
  if (bottom.length > 0) lines.push('', text.bottom(bottom.length), repTable(bottom));
  lines.push(text.more(top.length + bottom.length, reps.length));
  if (ranked.length < reps.length) lines.push(text.unranked(reps.length - ranked.length));
  return lines.join('\n');
}
