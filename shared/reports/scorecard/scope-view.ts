// What one scorecard covers: the organisation (every rep, grouped by team,
// with team and region subtotals and the company total), one team (its reps
// and the team subtotal) or one rep (that rep's row). Reps are sorted by
// attainment within their team, reps without a quota last. The deal lists are
// cut to the same scope.
import type { HygieneDeal, PastDueDeal } from '../../domain/metrics.js';
import type { EntityMetrics } from '../../domain/metrics.js';
import type { EntityMovement } from '../../domain/pipeline-movement.js';
import { PUSHED_OFTEN } from '../../domain/forecast-history.js';
import type { CategoryMoveLine, DealLine, ReportData, ReportScope } from '../report-data.js';

export type ScopeRowKind = 'rep' | 'team' | 'region' | 'company';

export interface ScopeRow {
  kind: ScopeRowKind;
  entity: EntityMetrics;
  /** The same entity in the previous stored snapshot; null on a first run or when it is new since. */
  previous: EntityMetrics | null;
}

export interface ScopeView {
  scope: ReportScope;
  /** The entity the headline and the tiles speak about. */
  entity: EntityMetrics;
  previous: EntityMetrics | null;
  /** True when the report has a previous snapshot at all (else every change is "first report"). */
  hasPrevious: boolean;
  movement: EntityMovement | null;
  /** Table rows top to bottom, subtotal rows after the rows they sum. */
  rows: ScopeRow[];
  weekWins: DealLine[];
  slipped: DealLine[];
  pastDue: PastDueDeal[];
  undated: HygieneDeal[];
  /** Open deals whose close date was pushed 3 or more times, most pushes first. */
  pushedOften: DealLine[];
  /** Open deals whose forecast category changed since the previous pipeline snapshot. */
  categoryMoves: CategoryMoveLine[];
}

export class ScopeNotFoundError extends Error {
  constructor(scope: ReportScope) {
    super(`no ${scope.level} ${JSON.stringify(scope.level === 'team' ? scope.team : scope.level === 'rep' ? scope.repId : 'company')} in this report's figures: check the scope against the people file`);
    this.name = 'ScopeNotFoundError';
  }
}

/** Best attainment first; reps without attainment after every rep with one; then by name, for a stable order. */
export function byAttainment(a: EntityMetrics, b: EntityMetrics): number {
  if (a.attainment === null || b.attainment === null) {
    if (a.attainment !== b.attainment) return a.attainment === null ? 1 : -1;
  } else if (a.attainment !== b.attainment) {
    return b.attainment - a.attainment;
  }
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function scopeView(data: ReportData, scope: ReportScope): ScopeView {
  const entities = data.metrics.entities;
  const key = (level: string, id: string) => `${level}\u0000${id}`;
  const previousByKey = new Map((data.previous?.entities ?? []).map((entity) => [key(entity.level, entity.id), entity]));
  const row = (kind: ScopeRowKind, entity: EntityMetrics): ScopeRow => ({ kind, entity, previous: previousByKey.get(key(entity.level, entity.id)) ?? null });
  const find = (level: string, id: string) => entities.find((entity) => entity.level === level && entity.id === id);
  const repsOf = (team: string) => entities.filter((entity) => entity.level === 'rep' && entity.team === team).sort(byAttainment);
  const teamRows = (team: EntityMetrics) => [...repsOf(team.id).map((rep) => row('rep', rep)), row('team', team)];

  let entity: EntityMetrics | undefined;
  let rows: ScopeRow[];
  let inScope: (deal: { repId: string; team: string }) => boolean;
  switch (scope.level) {
    case 'company': {
      entity = find('company', 'company');
      rows = [];
      for (const region of entities.filter((candidate) => candidate.level === 'region')) {
        for (const team of entities.filter((candidate) => candidate.level === 'team' && candidate.region === region.id)) rows.push(...teamRows(team));
        rows.push(row('region', region));
      }
      if (entity !== undefined) rows.push(row('company', entity));
      inScope = () => true;
      break;
    }
    case 'team':
      entity = find('team', scope.team);
      rows = entity === undefined ? [] : teamRows(entity);
      inScope = (deal) => deal.team === scope.team;
      break;
    case 'rep':
      entity = find('rep', scope.repId);
      rows = entity === undefined ? [] : [row('rep', entity)];
      inScope = (deal) => deal.repId === scope.repId;
      break;
  }
  if (entity === undefined) throw new ScopeNotFoundError(scope);
  const movement = data.movement?.entities.find((candidate) => candidate.level === entity.level && candidate.id === entity.id) ?? null;
  return {
    scope,
    entity,
    previous: previousByKey.get(key(entity.level, entity.id)) ?? null,
    hasPrevious: data.previous !== null,
    movement,
    rows,
    weekWins: data.deals.weekWins.filter(inScope),
    slipped: data.deals.slipped.filter(inScope),
    pastDue: data.metrics.pastDueDeals.filter(inScope),
    undated: data.metrics.undatedOpenDeals.filter(inScope),
    pushedOften: (data.deals.pushed ?? []).filter((deal) => (deal.closeDatePushes ?? 0) >= PUSHED_OFTEN && inScope(deal)),
    categoryMoves: (data.movement?.categoryMoves ?? []).filter(inScope),
  };
}
