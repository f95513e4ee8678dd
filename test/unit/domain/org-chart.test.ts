import { describe, expect, it } from 'vitest';
import { OrgChart, UNASSIGNED } from '../../../shared/domain/org-chart.js';
import type { Person } from '../../../shared/domain/types.js';

function person(overrides: Partial<Person> & Pick<Person, 'id' | 'name' | 'team' | 'region'>): Person {
  return { email: null, role: 'rep', manager: null, active: true, effectiveFrom: null, ...overrides };
}

const people: Person[] = [
  person({ id: 'ana@example.com', name: 'Ana Ruiz', email: 'Ana@Example.com', team: 'Iberia', region: 'EMEA', manager: 'mia@example.com' }),
  person({ id: 'mia@example.com', name: 'Mia López', email: 'mia@example.com', role: 'manager', team: 'Iberia', region: 'EMEA' }),
  person({ id: 'carla mayer', name: 'Carla Mayer', team: 'DACH', region: 'EMEA', manager: 'max@example.com' }),
  person({ id: 'leo@example.com', name: 'Leo Grant', email: 'leo@example.com', role: 'leader', team: 'Leadership', region: 'Global' }),
  // Fay moves from Iberia to East on 2026-02-01 (rows deliberately out of order).
  person({ id: 'fay@example.com', name: 'Fay Kim', email: 'fay@example.com', team: 'East', region: 'AMER', effectiveFrom: '2026-02-01' }),
  person({ id: 'fay@example.com', name: 'Fay Kim', email: 'fay@example.com', team: 'Iberia', region: 'EMEA' }),
  // Two different people with the same name: a deal owned by "Sam Lee" cannot be attributed.
  person({ id: 'sam.a@example.com', name: 'Sam Lee', email: 'sam.a@example.com', team: 'East', region: 'AMER' }),
  person({ id: 'sam.b@example.com', name: 'Sam Lee', email: 'sam.b@example.com', team: 'DACH', region: 'EMEA' }),
  person({ id: 'old@example.com', name: 'Old Timer', email: 'old@example.com', team: 'DACH', region: 'EMEA', active: false }),
];

describe('OrgChart.resolveOwner', () => {
  const org = new OrgChart(people);

  it('matches by name ignoring case and spacing, by e-mail ignoring case, and by id', () => {
    expect(org.resolveOwner('  ana   RUIZ ').id).toBe('ana@example.com');
    expect(org.resolveOwner('ANA@example.COM').id).toBe('ana@example.com');
    expect(org.resolveOwner('carla mayer').id).toBe('carla mayer');
    expect(org.resolveOwner('Mia López').id).toBe('mia@example.com');
  });

  it('sends unknown and ambiguous owners to Unassigned and lists each once, sorted', () => {
    const chart = new OrgChart(people);
    expect(chart.resolveOwner('Zed Unknown')).toMatchObject({ id: 'unassigned', name: 'Unassigned' });
    expect(chart.resolveOwner('Sam Lee').id).toBe(UNASSIGNED.id);
    chart.resolveOwner('Zed Unknown');
    expect(chart.resolveOwner('sam.b@example.com').id).toBe('sam.b@example.com');
    expect(chart.unmatchedOwners()).toEqual(['Sam Lee', 'Zed Unknown']);
  });

  it('caches the resolution per owner text', () => {
    expect(org.resolveOwner('Ana Ruiz')).toBe(org.resolveOwner('Ana Ruiz'));
  });

  it('keeps a person as one entry with assignments oldest first', () => {
    expect(org.person('fay@example.com')?.assignments.map((a) => a.team)).toEqual(['Iberia', 'East']);
    expect(org.people()).toHaveLength(8);
  });
});

describe('OrgChart assignments', () => {
  const org = new OrgChart(people);

  it('uses the latest effectiveFrom not after the date; a null effectiveFrom holds since always', () => {
    expect(org.assignmentAt('fay@example.com', '2026-01-31')?.team).toBe('Iberia');
    expect(org.assignmentAt('fay@example.com', '2026-02-01')?.team).toBe('East');
    expect(org.assignmentAt('ana@example.com', '1999-01-01')?.manager).toBe('mia@example.com');
    expect(org.assignmentAt('nobody', '2026-01-01')).toBeNull();
  });

  it("attributes by close date in 'history' mode and by the as-of date in 'current' mode", () => {
    const fay = org.person('fay@example.com')!;
    expect(org.attributedAssignment(fay, '2026-01-15', '2026-02-14', 'history').team).toBe('Iberia');
    expect(org.attributedAssignment(fay, '2026-02-10', '2026-02-14', 'history').team).toBe('East');
    expect(org.attributedAssignment(fay, '2026-01-15', '2026-02-14', 'current').team).toBe('East');
    expect(org.attributedAssignment(fay, '2026-03-15', '2026-01-20', 'current').team).toBe('Iberia');
  });

  it('counts a deal dated before a person’s first dated row in their earliest team', () => {
    const chart = new OrgChart([person({ id: 'new', name: 'New Rep', team: 'East', region: 'AMER', effectiveFrom: '2026-03-01' })]);
    expect(chart.attributedAssignment(chart.person('new')!, '2026-01-10', '2026-01-10', 'history').team).toBe('East');
  });
});

describe('OrgChart structure', () => {
  const org = new OrgChart(people);

  it('maps teams to regions (the region on the team’s latest row)', () => {
    expect(org.regionOf('Iberia')).toBe('EMEA');
    expect(org.regionOf('East')).toBe('AMER');
    expect(org.regionOf(UNASSIGNED.team)).toBe(UNASSIGNED.region);
  });

  it('lists members, teams and regions on a date', () => {
    expect(org.membersOf('Iberia', '2026-01-15')).toEqual(['ana@example.com', 'fay@example.com', 'mia@example.com']);
    expect(org.membersOf('Iberia', '2026-02-15')).toEqual(['ana@example.com', 'mia@example.com']);
    expect(org.teams('2026-02-15')).toEqual(['DACH', 'East', 'Iberia', 'Leadership']);
    expect(org.regions('2026-02-15')).toEqual(['AMER', 'EMEA', 'Global']);
  });

  it('finds managers from the manager role and from the manager column', () => {
    expect(org.managersOf('Iberia', '2026-02-15')).toEqual(['mia@example.com']);
    expect(org.managersOf('DACH', '2026-02-15')).toEqual(['max@example.com']);
    expect(org.managersOf('East', '2026-02-15')).toEqual([]);
  });

  it('finds active leaders', () => {
    expect(org.leaders('2026-02-15')).toEqual(['leo@example.com']);
  });
});
