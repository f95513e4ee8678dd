// The terminal scorecard: every rep up to 25; above that, teams and the top and bottom 5 reps, unless --all-reps.
import { describe, expect, it } from 'vitest';
import type { EntityMetrics } from '../../../shared/domain/metrics.js';
import { renderScorecard } from '../../../local/terminal-scorecard.js';
import { terminalLabels } from '../../../local/terminal-labels.js';

function entity(level: EntityMetrics['level'], id: string, fields: Partial<EntityMetrics>): EntityMetrics {
  return {
    level,
    id,
    name: id,
    team: null,
    region: null,
    revenue: 0,
    quota: 100_000_00,
    attainment: 0,
    pace: 0,
    quotaMet: false,
    pipelineCoverage: 2,
    ...fields,
  } as EntityMetrics;
}

/** `reps` reps over two teams, attainment falling with the rep number (Rep 01 best). */
function org(reps: number) {
  const entities: EntityMetrics[] = [entity('company', 'company', { name: 'Company', revenue: 500_000_00, attainment: 0.5 })];
  for (const [team, region] of [['North', 'EMEA'], ['South', 'Americas']] as const) {
    entities.push(entity('team', team, { region, attainment: team === 'North' ? 0.6 : 0.4 }));
  }
  for (let n = 1; n <= reps; n += 1) {
    const name = `Rep ${String(n).padStart(2, '0')}`;
    entities.push(entity('rep', name, { team: n % 2 ? 'North' : 'South', region: 'EMEA', attainment: 1 - n / 100, revenue: (100 - n) * 1_000_00 }));
  }
  return { currency: 'USD', entities };
}

const repRows = (text: string) => [...text.matchAll(/│ (Rep \d\d) /g)].map((match) => match[1]);

describe('the terminal scorecard', () => {
  it('lists every rep, by team, with 25 reps (the small-org table)', () => {
    const text = renderScorecard(org(25));
    expect(repRows(text)).toHaveLength(25);
    expect(text).toMatch(/│ Rep\s+│ Team\s+│\s+Revenue │/);
    expect(text).toMatch(/│ Company\s+│/);
    expect(text).not.toContain('--all-reps');
  });

  it('with 26 reps shows the teams and the company, then the top 5 and bottom 5 reps by attainment', () => {
    const text = renderScorecard(org(26));
    expect(text).toContain('2 team(s):');
    expect(text).toMatch(/│ Team\s+│ Region\s+│/);
    expect(text).toMatch(/│ North\s+│ EMEA\s+│/);
    expect(text).toMatch(/│ South\s+│ Americas\s+│/);
    expect(text).toMatch(/│ Company\s+│/);
    expect(text).toContain('Top 5 reps by attainment:');
    expect(text).toContain('Bottom 5 reps by attainment:');
    expect(repRows(text)).toEqual(['Rep 01', 'Rep 02', 'Rep 03', 'Rep 04', 'Rep 05', 'Rep 22', 'Rep 23', 'Rep 24', 'Rep 25', 'Rep 26']);
    expect(text).toContain('10 of 26 reps shown — --all-reps lists every one');
  });

  it('does not count the Unassigned seat as a rep', () => {
    const result = org(25);
    result.entities.push(entity('rep', 'unassigned', { name: 'Unassigned', team: 'Unassigned', quota: null, attainment: null }));
    expect(renderScorecard(result)).not.toContain('Top 5');
  });

  it('with --all-reps lists all 26 reps as the small-org table', () => {
    const text = renderScorecard(org(26), { allReps: true });
    expect(repRows(text)).toHaveLength(26);
    expect(text).not.toContain('Top 5');
    expect(text).toEqual(renderScorecard(org(26), { allReps: true, labels: terminalLabels('en') }));
  });

  it('prints in Spanish with the Spanish labels', () => {
    const text = renderScorecard(org(26), { labels: terminalLabels('es') });
    expect(text).toContain('2 equipo(s):');
    expect(text).toMatch(/│ Equipo\s+│ Región\s+│\s+Ingresos │/);
    expect(text).toMatch(/│ Empresa\s+│/);
    expect(text).toContain('Los 5 comerciales con mayor cumplimiento:');
    expect(text).toContain('--all-reps los muestra todos');
  });
});
