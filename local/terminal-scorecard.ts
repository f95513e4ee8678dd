// A compact scorecard for the terminal: one row per rep, grouped by team.
import Table from 'cli-table3';
import type { EntityMetrics, MetricsResult } from '../shared/domain/metrics.js';

function money(amount: number | null, currency: string): string {
  if (amount === null) return 'n/a';
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return new Intl.NumberFormat('en', { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount / 10 ** digits);
}

function percent(ratio: number | null): string {
  return ratio === null ? 'n/a' : `${Math.round(ratio * 100)}%`;
}

function coverage(entity: EntityMetrics): string {
  if (entity.quotaMet) return 'quota met';
  return entity.pipelineCoverage === null ? 'n/a' : `${entity.pipelineCoverage.toFixed(1)}×`;
}

export function renderScorecard(result: MetricsResult): string {
  const table = new Table({
    head: ['Rep', 'Team', 'Revenue', 'Quota', 'Attainment', 'Pace', 'Coverage'],
    colAligns: ['left', 'left', 'right', 'right', 'right', 'right', 'right'],
    style: { head: [], border: [], compact: true },
  });
  const reps = result.entities
    .filter((entity) => entity.level === 'rep')
    .sort((a, b) => (a.team ?? '').localeCompare(b.team ?? '') || (b.attainment ?? -1) - (a.attainment ?? -1));
  for (const rep of reps) {
    table.push([rep.name, rep.team ?? '', money(rep.revenue, result.currency), money(rep.quota, result.currency), percent(rep.attainment), percent(rep.pace), coverage(rep)]);
  }
  const company = result.entities.find((entity) => entity.level === 'company');
  if (company) {
    table.push([
      'Company',
      '',
      money(company.revenue, result.currency),
      money(company.quota, result.currency),
      percent(company.attainment),
      percent(company.pace),
      coverage(company),
    ]);
  }
  return table.toString();
}
