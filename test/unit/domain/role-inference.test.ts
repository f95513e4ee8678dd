import { describe, expect, it } from 'vitest';
import { NO_TEAM, OrgChart } from '../../../shared/domain/org-chart.js';
import { inferRoles } from '../../../shared/domain/role-inference.js';
import type { Person } from '../../../shared/domain/types.js';

/** A people-file row without a Role column: role null, ids as ingest makes them. */
function row(name: string, team: string, manager: string | null, extra: Partial<Person> = {}): Person {
  const email = `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@acme.com`;
  return { id: email, name, email, role: null, team, manager, region: team === '' ? '' : 'EMEA', active: true, effectiveFrom: null, ...extra };
}

const roleOf = (chart: OrgChart, name: string) => {
  const match = chart.match(name);
  if (match.kind !== 'person') throw new Error(`${name}: ${match.kind}`);
  return match.person.assignments.map((assignment) => assignment.role);
};

describe('role inference from the Manager column', () => {
  // Head of sales (no team, no manager) → two managers → reps; one manager also sells.
  const people = [
    row('Hana Head', '', null),
    row('Mo Manager', 'West', 'Hana Head'),
    row('Lu Lead', 'East', 'hana.head@acme.com'),
    row('Ana Rep', 'West', 'Mo Manager'),
    row('Ben Rep', 'West', 'mo.manager@acme.com'),
    row('Cy Rep', 'East', 'Lu Lead'),
  ];
  const chart = new OrgChart(people);

  it('makes the manager of managers a leader, those named as managers managers, the rest reps', () => {
    expect(roleOf(chart, 'Hana Head')).toEqual(['leader']);
    expect(roleOf(chart, 'Mo Manager')).toEqual(['manager']);
    expect(roleOf(chart, 'Lu Lead')).toEqual(['manager']);
    expect(roleOf(chart, 'Ana Rep')).toEqual(['rep']);
    expect(roleOf(chart, 'Cy Rep')).toEqual(['rep']);
    expect(chart.roleInference.inferred).toEqual({
      leader: ['Hana Head'],
      manager: ['Lu Lead', 'Mo Manager'],
      rep: ['Ana Rep', 'Ben Rep', 'Cy Rep'],
    });
  });

  it('resolves managers named by name or e-mail to the person, and finds each team its managers', () => {
    expect(chart.managersOf('West', '2026-01-01')).toEqual(['mo.manager@acme.com']);
    expect(chart.managersOf('East', '2026-01-01')).toEqual(['lu.lead@acme.com']);
    expect(chart.leaders('2026-01-01')).toEqual(['hana.head@acme.com']);
  });

  it('puts a leader without a team under No team, and a manager without one in the team of their reports', () => {
    const teamless = new OrgChart([row('Hana Head', '', null), row('Mo Manager', '', 'Hana Head'), row('Ana Rep', 'West', 'Mo Manager')]);
    expect(teamless.match('Mo Manager')).toMatchObject({ kind: 'person', person: { assignments: [{ role: 'manager', team: 'West' }] } });
    expect(teamless.match('Hana Head')).toMatchObject({ kind: 'person', person: { assignments: [{ role: 'leader', team: NO_TEAM.team }] } });
  });

  it('ignores a person being their own manager (HR exports list the CEO so)', () => {
    const chart = new OrgChart([row('Hana Head', '', 'Hana Head'), row('Ana Rep', 'West', 'Hana Head'), row('Solo Rep', 'West', 'Solo Rep')]);
    expect(roleOf(chart, 'Hana Head')).toEqual(['leader']);
    expect(roleOf(chart, 'Solo Rep')).toEqual(['rep']);
    expect(chart.roleInference.cycles).toEqual([]);
  });

  it('does not make people who manage each other in a cycle leadership, and reports the cycle', () => {
    const chart = new OrgChart([row('Ann Loop', 'West', 'Bob Loop'), row('Bob Loop', 'West', 'Ann Loop'), row('Cy Rep', 'West', 'Ann Loop')]);
    expect(roleOf(chart, 'Ann Loop')).toEqual(['manager']);
    expect(roleOf(chart, 'Bob Loop')).toEqual(['manager']);
    expect(roleOf(chart, 'Cy Rep')).toEqual(['rep']);
    expect(chart.roleInference.cycles).toEqual([['Ann Loop', 'Bob Loop']]);
  });

  it('keeps roles the file gives, and infers only the blank ones', () => {
    const chart = new OrgChart([
      row('Vic Vp', 'Sales', null, { role: 'leader' }),
      row('Mo Manager', 'West', 'Vic Vp', { role: 'rep' }), // the file says rep: it stays a rep
      row('Ana Rep', 'West', 'Mo Manager'),
    ]);
    expect(roleOf(chart, 'Vic Vp')).toEqual(['leader']);
    expect(roleOf(chart, 'Mo Manager')).toEqual(['rep']);
    expect(roleOf(chart, 'Ana Rep')).toEqual(['rep']);
    expect(chart.roleInference.inferred).toEqual({ leader: [], manager: [], rep: ['Ana Rep'] });
  });

  it('keeps a manager the file only names (not a row) as the team manager, and reports them', () => {
    const chart = new OrgChart([row('Ana Rep', 'West', 'boss@acme.com')]);
    expect(chart.managersOf('West', '2026-01-01')).toEqual(['boss@acme.com']);
    expect(chart.roleInference.unknownManagers).toEqual([{ manager: 'boss@acme.com', people: ['Ana Rep'] }]);
  });

  it('survives a long chain of managers (no recursion limit)', () => {
    const chain = Array.from({ length: 20_000 }, (_, index) => ({
      id: `p${index}`,
      explicitRoles: [],
      hasTeam: true,
      currentManagers: index === 0 ? [] : [`p${index - 1}`],
      allManagers: index === 0 ? [] : [`p${index - 1}`],
    }));
    const { roles, cycles } = inferRoles(chain);
    expect(roles.get('p0')).toBe('leader');
    expect(roles.get('p19998')).toBe('manager');
    expect(roles.get('p19999')).toBe('rep');
    expect(cycles).toEqual([]);
  });
});
