// The scorecard's decisions, checked against the sample organisation's own
// figures: the headline (en, es, without a quota, on a first run), the RAG
// thresholds, the week-over-week changes and what each scope covers.
import { beforeAll, describe, expect, it } from 'vitest';
import type { EntityMetrics } from '../../../shared/domain/metrics.js';
import { en } from '../../../shared/reports/labels/en.js';
import { es } from '../../../shared/reports/labels/es.js';
import type { ReportData } from '../../../shared/reports/report-data.js';
import { buildScorecardModel, figureDeltas, ragLevel, SCORECARD_FIGURES, ScorecardFormat, scopeView } from '../../../shared/reports/scorecard/index.js';
import { sampleReportData } from '../../fixtures/reports/sample-report-data.js';

let data: ReportData;
let dataEs: ReportData;
const TEAM = 'DACH';

beforeAll(() => {
  data = sampleReportData();
  dataEs = sampleReportData({ locale: 'es' });
});

function entity(source: ReportData, level: string, id: string): EntityMetrics {
  const found = source.metrics.entities.find((candidate) => candidate.level === level && candidate.id === id);
  if (!found) throw new Error(`no ${level} ${id}`);
  return found;
}

function previousOf(source: ReportData, level: string, id: string): EntityMetrics {
  const found = source.previous?.entities.find((candidate) => candidate.level === level && candidate.id === id);
  if (!found) throw new Error(`no previous ${level} ${id}`);
  return found;
}

/** Whole points with a true minus sign, as the headline writes them. */
function signedPoints(change: number): string {
  const points = Math.round(change * 100);
  return points > 0 ? `+${points}` : points < 0 ? `\u2212${-points}` : '0';
}

describe('headline', () => {
  it('says attainment, the change in points since the last report and coverage against the target (en)', () => {
    const team = entity(data, 'team', TEAM);
    const before = previousOf(data, 'team', TEAM);
    expect(team.attainment).not.toBeNull();
    expect(team.pipelineCoverage).not.toBeNull();
    const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 0 }).format(team.attainment!);
    const coverage = new Intl.NumberFormat('en', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(team.pipelineCoverage!);
    const expected = `Team ${TEAM}: ${percent} of ${data.metrics.period.id} quota, ${signedPoints(team.attainment! - before.attainment!)} pts this week, coverage ${coverage}× (target ${data.settings.coverageTarget}×)`;
    expect(buildScorecardModel(data, { level: 'team', team: TEAM }, en).headline).toBe(expected);
  });

  it('says the same in Spanish', () => {
    const team = entity(dataEs, 'team', TEAM);
    const before = previousOf(dataEs, 'team', TEAM);
    const percent = new Intl.NumberFormat('es', { style: 'percent', maximumFractionDigits: 0 }).format(team.attainment!);
    const coverage = new Intl.NumberFormat('es', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(team.pipelineCoverage!);
    const expected = `Equipo ${TEAM}: ${percent} de la cuota de ${dataEs.metrics.period.id}, ${signedPoints(team.attainment! - before.attainment!)} p. p. esta semana, cobertura ${coverage}× (objetivo ${dataEs.settings.coverageTarget}×)`;
    const model = buildScorecardModel(dataEs, { level: 'team', team: TEAM }, es);
    expect(model.headline).toBe(expected);
    expect(model.subject).toMatch(new RegExp(`^Equipo ${TEAM} · ${dataEs.metrics.period.id} · semana ${dataEs.week.numberInQuarter} de ${dataEs.week.weeksInQuarter} · a lun 16 nov$`));
  });

  it('puts the scope, period, week and as-of day in the subject', () => {
    const model = buildScorecardModel(data, { level: 'team', team: TEAM }, en);
    expect(model.subject).toBe(`Team ${TEAM} · ${data.metrics.period.id} · week ${data.week.numberInQuarter} of ${data.week.weeksInQuarter} · as of Mon 16 Nov`);
  });

  it('never says "n/a%" for a scope without a quota: revenue won instead, and no RAG', () => {
    const unassigned = entity(data, 'team', 'Unassigned');
    expect(unassigned.quota).toBeNull();
    const model = buildScorecardModel(data, { level: 'team', team: 'Unassigned' }, en);
    expect(model.headline).not.toContain('%');
    expect(model.headline).not.toContain('n/a');
    expect(model.headline).toMatch(/^Team Unassigned: \$[\d.,]+[kM]? won in FY\d{4}-Q\d, no quota/);
    expect(model.rag).toEqual({ level: 'none', label: 'no quota' });
    expect(model.tiles.find((tile) => tile.label === 'Quota')?.value).toBe('no quota');

    // The same team with its quota taken away.
    const clone = structuredClone(data);
    const dach = clone.metrics.entities.find((e) => e.level === 'team' && e.id === TEAM)!;
    Object.assign(dach, { quota: null, attainment: null, pace: null, pipelineCoverage: null, gapToQuota: null, projectedAttainment: null });
    const headline = buildScorecardModel(clone, { level: 'team', team: TEAM }, en).headline;
    expect(headline).toBe(`Team ${TEAM}: ${new ScorecardFormat('en', 'USD', 'UTC').moneyCompact(dach.revenue)} won in ${data.metrics.period.id}, no quota`);
    expect(buildScorecardModel(clone, { level: 'team', team: TEAM }, es).headline).not.toMatch(/%|n\/d/);
  });

  it('says "first report" and shows no change when there is no previous snapshot', () => {
    const first = { ...data, previous: null };
    const model = buildScorecardModel(first, { level: 'team', team: TEAM }, en);
    expect(model.headline).toContain(', first report, ');
    expect(model.headline).not.toContain('this week');
    expect(model.tiles.every((tile) => tile.delta === undefined)).toBe(true);
    expect(model.table.every((line) => line.cells[3] === '')).toBe(true);
  });

  it('says "quota met" instead of a coverage for a scope past its quota', () => {
    const clone = structuredClone(data);
    const dach = clone.metrics.entities.find((e) => e.level === 'team' && e.id === TEAM)!;
    Object.assign(dach, { attainment: 1.2, quotaMet: true, pipelineCoverage: null });
    expect(buildScorecardModel(clone, { level: 'team', team: TEAM }, en).headline).toMatch(/^Team DACH: 120% of FY\d{4}-Q\d quota, [−+]?\d+ pts this week, quota met$/);
  });
});

describe('RAG', () => {
  it('is green at or above green, amber at or above amber, red below, none without attainment', () => {
    const thresholds = { green: 1, amber: 0.8 };
    expect(ragLevel(1, thresholds)).toBe('green');
    expect(ragLevel(1.5, thresholds)).toBe('green');
    expect(ragLevel(0.9999, thresholds)).toBe('amber');
    expect(ragLevel(0.8, thresholds)).toBe('amber');
    expect(ragLevel(0.7999, thresholds)).toBe('red');
    expect(ragLevel(0, thresholds)).toBe('red');
    expect(ragLevel(null, thresholds)).toBe('none');
    expect(ragLevel(0.5, { green: 0.6, amber: 0.4 })).toBe('amber');
  });

  it('follows settings.rag in the model', () => {
    const attainment = entity(data, 'team', TEAM).attainment!;
    const at = (green: number, amber: number) => buildScorecardModel({ ...data, settings: { ...data.settings, rag: { green, amber } } }, { level: 'team', team: TEAM }, en).rag;
    expect(at(attainment, attainment / 2)).toEqual({ level: 'green', label: 'on track' });
    expect(at(attainment + 0.01, attainment)).toEqual({ level: 'amber', label: 'at risk' });
    expect(at(attainment + 0.02, attainment + 0.01)).toEqual({ level: 'red', label: 'behind' });
  });
});

describe('changes since the last report', () => {
  it('are current − previous for every figure, null where either is n/a', () => {
    for (const rep of data.metrics.entities.filter((e) => e.level === 'rep' && e.team === TEAM)) {
      const before = previousOf(data, 'rep', rep.id);
      const deltas = figureDeltas(rep, before);
      for (const figure of SCORECARD_FIGURES) {
        const now = rep[figure];
        const then = before[figure];
        expect(deltas[figure], `${rep.id} ${figure}`).toBe(now === null || then === null ? null : now - then);
      }
    }
    const team = entity(data, 'team', TEAM);
    expect(figureDeltas(team, previousOf(data, 'team', TEAM)).revenue).toBe(team.revenue - previousOf(data, 'team', TEAM).revenue);
  });

  it('are all null without a previous figure', () => {
    const deltas = figureDeltas(entity(data, 'team', TEAM), null);
    expect(Object.values(deltas).every((value) => value === null)).toBe(true);
  });

  it('show in the tiles with arrows: revenue in money, attainment in points', () => {
    const team = entity(data, 'team', TEAM);
    const before = previousOf(data, 'team', TEAM);
    const tiles = buildScorecardModel(data, { level: 'team', team: TEAM }, en).tiles;
    const format = new ScorecardFormat('en', 'USD', 'UTC');
    const revenueChange = team.revenue - before.revenue;
    expect(tiles[0]?.delta).toEqual({ text: format.moneyCompact(revenueChange, true), direction: revenueChange > 0 ? 'up' : revenueChange < 0 ? 'down' : 'flat' });
    expect(tiles[2]?.delta?.text).toBe(`${signedPoints(team.attainment! - before.attainment!)} pts`);
  });
});

describe('scope', () => {
  it('team: only its reps, best attainment first (no quota last), then the team subtotal', () => {
    const clone = structuredClone(data);
    const reps = clone.metrics.entities.filter((e) => e.level === 'rep' && e.team === TEAM);
    Object.assign(reps[0]!, { quota: null, attainment: null });
    const view = scopeView(clone, { level: 'team', team: TEAM });
    const repRows = view.rows.filter((row) => row.kind === 'rep');
    expect(repRows.map((row) => row.entity.id).sort()).toEqual(reps.map((rep) => rep.id).sort());
    expect(view.rows.at(-1)).toMatchObject({ kind: 'team', entity: { id: TEAM } });
    expect(view.rows).toHaveLength(reps.length + 1);
    expect(repRows.at(-1)?.entity.id).toBe(reps[0]!.id);
    const attainments = repRows.slice(0, -1).map((row) => row.entity.attainment!);
    expect(attainments).toEqual([...attainments].sort((a, b) => b - a));
    for (const deal of [...view.weekWins, ...view.slipped, ...view.pastDue, ...view.undated]) expect(deal.team).toBe(TEAM);
    expect(view.slipped.length).toBe(clone.deals.slipped.filter((deal) => deal.team === TEAM).length);
  });

  it("rep: that rep's row only, and only their deals", () => {
    const win = data.deals.weekWins[0]!;
    const view = scopeView(data, { level: 'rep', repId: win.repId });
    expect(view.rows.map((row) => [row.kind, row.entity.id])).toEqual([['rep', win.repId]]);
    expect(view.weekWins.length).toBeGreaterThan(0);
    for (const deal of [...view.weekWins, ...view.slipped, ...view.pastDue, ...view.undated]) expect(deal.repId).toBe(win.repId);
    const model = buildScorecardModel(data, { level: 'rep', repId: win.repId }, en);
    expect(model.table).toHaveLength(1);
    expect(model.headline.startsWith(`${win.repName}: `)).toBe(true);
  });

  it('organisation: every rep grouped by team, team and region subtotals, the company total last', () => {
    const view = scopeView(data, { level: 'company' });
    const all = data.metrics.entities;
    expect(view.rows.filter((row) => row.kind === 'rep')).toHaveLength(all.filter((e) => e.level === 'rep').length);
    expect(view.rows.filter((row) => row.kind === 'team')).toHaveLength(all.filter((e) => e.level === 'team').length);
    expect(view.rows.filter((row) => row.kind === 'region')).toHaveLength(all.filter((e) => e.level === 'region').length);
    expect(view.rows.at(-1)?.kind).toBe('company');
    // Each team's subtotal directly follows its own reps.
    let team: string | null = null;
    view.rows.forEach((row) => {
      if (row.kind === 'rep') {
        team ??= row.entity.team;
        expect(row.entity.team).toBe(team);
      } else if (row.kind === 'team') {
        if (team !== null) expect(row.entity.id).toBe(team);
        team = null;
      }
    });
    expect(view.weekWins).toHaveLength(data.deals.weekWins.length);
  });

  it('throws a clear error for a scope the figures do not have', () => {
    expect(() => scopeView(data, { level: 'team', team: 'Atlantis' })).toThrow(/no team "Atlantis"/);
  });
});

describe('movement, freshness and formats', () => {
  it("sums the scope's week wins, new pipeline, slipped and lost into one line", () => {
    const model = buildScorecardModel(data, { level: 'team', team: TEAM }, en);
    const format = new ScorecardFormat('en', 'USD', 'UTC');
    const wins = data.deals.weekWins.filter((deal) => deal.team === TEAM);
    const slipped = data.deals.slipped.filter((deal) => deal.team === TEAM).reduce((sum, deal) => sum + deal.amount, 0);
    const movement = data.movement!.entities.find((e) => e.level === 'team' && e.id === TEAM)!;
    expect(model.movementLine).toBe(
      `This week: ${format.moneyCompact(wins.reduce((sum, deal) => sum + deal.amount, 0), true)} won (${wins.length}) · ${format.moneyCompact(movement.new, true)} new · ` +
        `${format.moneyCompact(-slipped, true)} slipped · ${format.moneyCompact(-movement.lost, true)} lost`,
    );
  });

  it('names the uploads with rows and local time, the currency, the time zone and the rejected rows', () => {
    const model = buildScorecardModel(data, { level: 'company' }, en);
    // 07:02 UTC is 02:02 in New York in November.
    expect(model.freshness).toBe('Data: salesforce-opportunities.csv (2,412 rows, Mon 02:02), people.csv (70 rows, Mon 01:58) · USD · America/New_York · 3 rows rejected (see the workbook’s Data sheet)');
  });

  it('keeps at most five deals per list and says how many more the workbook has', () => {
    const model = buildScorecardModel(data, { level: 'company' }, en);
    expect(model.lists.slipped.items).toHaveLength(5);
    expect(model.lists.slipped.total).toBe(data.deals.slipped.length);
    expect(model.lists.slipped.items[0]?.primary).toBe(data.deals.slipped[0]?.name);
  });

  it('writes compact money, whole percentages and multiples per locale', () => {
    const enFormat = new ScorecardFormat('en', 'USD', 'UTC');
    expect(enFormat.moneyCompact(123_000_000)).toBe('$1.23M');
    expect(enFormat.moneyCompact(31_200_000)).toBe('$312k');
    expect(enFormat.moneyCompact(-12_000_000, true)).toBe('\u2212$120k');
    expect(enFormat.moneyCompact(21_000_000, true)).toBe('+$210k');
    expect(enFormat.moneyCompact(95_000)).toBe('$950');
    expect(enFormat.moneyFull(8_450_000)).toBe('$84,500.00');
    expect(enFormat.percent(0.82)).toBe('82%');
    expect(enFormat.times(2.14)).toBe('2.1×');
    const esFormat = new ScorecardFormat('es', 'EUR', 'Europe/Madrid');
    expect(esFormat.moneyCompact(123_000_000)).toBe('1,23\u00a0M\u00a0€');
    expect(esFormat.percent(0.82)).toBe('82\u00a0%');
    expect(esFormat.day('2026-11-16')).toBe('lun 16 nov');
  });
});

describe('forecast line and the pushed-3+ list', () => {
  /** The sample data with hand-set accountability figures for one team, one category move and pushed deals. */
  function withHistory(source: ReportData): ReportData {
    const copy = structuredClone(source);
    const team = copy.metrics.entities.find((candidate) => candidate.level === 'team' && candidate.id === TEAM)!;
    Object.assign(team, {
      commitAmount: 12_000_000, bestCaseAmount: 8_000_000, pipelineCategoryAmount: 0, quota: 20_000_000, revenue: 6_400_000,
      commitAttainment: 0.92, slipRate: 0.3, slipRateValue: 0.25, pushedThreeTimesCount: 2, staleOpenCount: 7,
    });
    const open = copy.deals.open.filter((deal) => deal.team === TEAM);
    open.forEach((deal, index) => (deal.closeDatePushes = index === 0 ? 4 : index === 1 ? 3 : index === 2 ? 2 : 0));
    copy.movement!.categoryMoves = [{ ...open[3]!, amount: 4_500_000, from: 'bestCase', to: 'commit' }];
    copy.settings.staleAfterDays = 30;
    return copy;
  }

  it('says commit, best case, attainment with commit, slip rate, moves into commit, pushed and stale deals (en)', () => {
    const model = buildScorecardModel(withHistory(data), { level: 'team', team: TEAM }, en);
    expect(model.forecastLine).toBe(
      'Forecast: commit $120k · best case $80k · 92% of quota with commit · slip rate 30% (25% of value) · 1 into commit ($45k) · 2 pushed 3+ times · 7 stale (30+ days without activity)',
    );
    // Most pushes first; a deal pushed twice is not on the list.
    expect(model.lists.pushed.items.map((item) => item.secondary.split(' · ').at(-2))).toEqual(['pushed 4×', 'pushed 3×']);
    expect(model.lists.pushed.total).toBe(2);
  });

  it('says it in Spanish, and says nothing (no line, no list) where the scope has no such figures', () => {
    const model = buildScorecardModel(withHistory(dataEs), { level: 'team', team: TEAM }, es);
    expect(model.forecastLine).toMatch(/^Previsión: compromiso .* · tasa de retraso 30\u00a0% \(25\u00a0% del valor\) · 1 pasan a compromiso .* · 2 aplazadas 3\+ veces · 7 sin actividad \(30\+ días\)$/);
    const bare = structuredClone(data);
    for (const entity of bare.metrics.entities) Object.assign(entity, { commitAmount: 0, bestCaseAmount: 0, pipelineCategoryAmount: 0, slipRate: null, pushedThreeTimesCount: null, staleOpenCount: null });
    const plain = buildScorecardModel(bare, { level: 'team', team: TEAM }, en);
    expect(plain.forecastLine).toBeNull();
    expect(plain.lists.pushed.total).toBe(0);
  });
});
