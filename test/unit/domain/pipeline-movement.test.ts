import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrgChart } from '../../../shared/domain/org-chart.js';
import { expectedClosing, pipelineMovement } from '../../../shared/domain/pipeline-movement.js';
import type { DealSnapshot, EntityMovement, PipelineMovement } from '../../../shared/domain/pipeline-movement.js';
import type { EntityLevel, Person } from '../../../shared/domain/types.js';

function person(id: string, name: string, team: string, region: string): Person {
  return { id, name, email: id, role: 'rep', team, manager: null, region, active: true, effectiveFrom: null };
}

const org = new OrgChart([
  person('ana@example.com', 'Ana Ruiz', 'Iberia', 'EMEA'),
  person('ben@example.com', 'Ben Ortiz', 'Iberia', 'EMEA'),
  person('eve@example.com', 'Eve Stone', 'East', 'AMER'),
]);
const window = { start: '2026-01-01', end: '2026-03-31' };
const asOf = '2026-02-16';

function snap(id: string, owner: string, amount: number, closeDate: string, stageClass: DealSnapshot['stageClass'] = 'open'): DealSnapshot {
  return { id, owner, amount, closeDate, stageClass, probability: 0.5, createdDate: '2025-12-01' };
}

/**
 * The movement identity written out here, term by term, rather than taken
 * from the implementation's own `expectedClosing`: a wrong sign there must
 * not be able to agree with itself.
 */
function closingFromTerms(e: EntityMovement): number {
  return (
    e.opening + e.new + e.pulledIn + e.increased + e.transferredIn - e.pushedOut - e.decreased - e.won - e.lost - e.removed - e.transferredOut
  );
}

function figures(movement: PipelineMovement, level: EntityLevel, id: string): EntityMovement {
  const found = movement.entities.find((e) => e.level === level && e.id === id);
  if (!found) throw new Error(`no ${level} ${id}`);
  return found;
}

describe('pipelineMovement: one deal per term, by hand', () => {
  // Opening (last week), Ana's pipeline in Q1: A1 10 000, A2 5 000, A3 8 000, A4 3 000, A5 2 000, A6 4 000 = 32 000;
  // A7 (6 000) is dated next quarter, A8 was already won.
  const opening = [
    snap('A1', 'Ana Ruiz', 10_000, '2026-03-01'), // stays, +2 000
    snap('A2', 'Ana Ruiz', 5_000, '2026-03-10'), // stays, −1 000
    snap('A3', 'Ana Ruiz', 8_000, '2026-03-20'), // pushed to April
    snap('A4', 'Ana Ruiz', 3_000, '2026-02-20'), // won at 3 500
    snap('A5', 'Ana Ruiz', 2_000, '2026-02-25'), // lost
    snap('A6', 'Ana Ruiz', 4_000, '2026-03-05'), // deleted in the CRM
    snap('A7', 'Ana Ruiz', 6_000, '2026-05-15'), // pulled into March
    snap('A8', 'Ana Ruiz', 9_000, '2026-01-15', 'won'), // closed before: never pipeline
  ];
  const closing = [
    snap('A1', 'Ana Ruiz', 12_000, '2026-03-05'), // date moved inside the window: no term
    snap('A2', 'Ana Ruiz', 4_000, '2026-03-10'),
    snap('A3', 'Ana Ruiz', 8_000, '2026-04-15'),
    snap('A4', 'Ana Ruiz', 3_500, '2026-02-12', 'won'),
    snap('A5', 'Ana Ruiz', 2_000, '2026-02-13', 'lost'),
    snap('A7', 'Ana Ruiz', 6_000, '2026-03-30'),
    snap('A8', 'Ana Ruiz', 9_000, '2026-01-15', 'won'),
    snap('A9', 'Ana Ruiz', 1_500, '2026-03-31'), // new, last day of the window
    snap('A10', 'Ana Ruiz', 7_000, '2026-04-01'), // new but next quarter: not pipeline
  ];
  const movement = pipelineMovement(opening, closing, window, { org, asOf });

  it('explains Ana’s pipeline term by term', () => {
    expect(figures(movement, 'rep', 'ana@example.com')).toMatchObject({
      name: 'Ana Ruiz',
      team: 'Iberia',
      region: 'EMEA',
      opening: 32_000,
      new: 1_500,
      pulledIn: 6_000,
      increased: 2_500, // A1 +2 000, A4 +500 on the way to won
      transferredIn: 0,
      pushedOut: 8_000,
      decreased: 1_000,
      won: 3_500,
      lost: 2_000,
      removed: 4_000,
      transferredOut: 0,
      closing: 23_500, // A1 12 000 + A2 4 000 + A7 6 000 + A9 1 500
    });
    // 32 000 + 1 500 + 6 000 + 2 500 − 8 000 − 1 000 − 3 500 − 2 000 − 4 000 = 23 500, by hand
    expect(32_000 + 1_500 + 6_000 + 2_500 - 8_000 - 1_000 - 3_500 - 2_000 - 4_000).toBe(23_500);
  });

  it('lists the deals behind each term', () => {
    const ids = Object.fromEntries(Object.entries(movement.deals).map(([term, deals]) => [term, deals.map((d) => `${d.dealId}:${d.amount}`)]));
    expect(ids).toEqual({
      new: ['A9:1500'],
      pulledIn: ['A7:6000'],
      increased: ['A1:2000', 'A4:500'],
      transferredIn: [],
      pushedOut: ['A3:8000'],
      decreased: ['A2:1000'],
      won: ['A4:3500'],
      lost: ['A5:2000'],
      removed: ['A6:4000'],
      transferredOut: [],
    });
    expect(movement.deals.won[0]).toMatchObject({ repId: 'ana@example.com', team: 'Iberia', region: 'EMEA' });
    expect(movement.deals.won[0]?.opening?.amount).toBe(3_000);
    expect(movement.deals.won[0]?.closing?.amount).toBe(3_500);
  });

  it('rolls up to team, region and company', () => {
    for (const [level, id] of [['team', 'Iberia'], ['region', 'EMEA'], ['company', 'company']] as const) {
      expect(figures(movement, level, id)).toMatchObject({ opening: 32_000, closing: 23_500, won: 3_500 });
    }
    expect(movement.entities.map((e) => `${e.level}:${e.id}`)).toEqual(['company:company', 'region:EMEA', 'team:Iberia', 'rep:ana@example.com']);
  });
});

describe('pipelineMovement: every term at once, each a different power of two', () => {
  // Ana's deals, one per term, sized so that flipping the sign of any term (or any
  // set of terms) changes the closing: new 1, pulled in 2, increased 4, transferred
  // in 8, pushed out 16, decreased 32, won 64, lost 128, removed 256, transferred out 512.
  const opening = [
    snap('I', 'Ana Ruiz', 1_000, '2026-03-01'), // grows by 4
    snap('D', 'Ana Ruiz', 2_000, '2026-03-02'), // shrinks by 32
    snap('W', 'Ana Ruiz', 64, '2026-03-03'), // won at 64
    snap('L', 'Ana Ruiz', 128, '2026-03-04'), // lost
    snap('R', 'Ana Ruiz', 256, '2026-03-05'), // deleted in the CRM
    snap('P', 'Ana Ruiz', 16, '2026-03-06'), // pushed to April
    snap('X', 'Ana Ruiz', 512, '2026-03-07'), // handed to Ben
    snap('Q', 'Ana Ruiz', 2, '2026-05-01'), // next quarter: pulled into March
    snap('T', 'Ben Ortiz', 8, '2026-03-08'), // Ben's, handed to Ana
  ];
  const closing = [
    snap('I', 'Ana Ruiz', 1_004, '2026-03-01'),
    snap('D', 'Ana Ruiz', 1_968, '2026-03-02'),
    snap('W', 'Ana Ruiz', 64, '2026-02-10', 'won'),
    snap('L', 'Ana Ruiz', 128, '2026-02-11', 'lost'),
    snap('P', 'Ana Ruiz', 16, '2026-04-06'),
    snap('X', 'Ben Ortiz', 512, '2026-03-07'),
    snap('Q', 'Ana Ruiz', 2, '2026-03-09'),
    snap('T', 'Ana Ruiz', 8, '2026-03-08'),
    snap('N', 'Ana Ruiz', 1, '2026-03-10'), // new
  ];
  const ana = figures(pipelineMovement(opening, closing, window, { org, asOf }), 'rep', 'ana@example.com');

  it('books each of Ana’s deals under exactly its own term', () => {
    expect(ana).toMatchObject({
      opening: 3_976, // I 1 000 + D 2 000 + W 64 + L 128 + R 256 + P 16 + X 512
      new: 1,
      pulledIn: 2,
      increased: 4,
      transferredIn: 8,
      pushedOut: 16,
      decreased: 32,
      won: 64,
      lost: 128,
      removed: 256,
      transferredOut: 512,
      closing: 2_983, // I 1 004 + D 1 968 + Q 2 + T 8 + N 1
    });
  });

  it('balances with inflows added and outflows subtracted, and with no other signs', () => {
    // 3 976 + 1 + 2 + 4 + 8 − 16 − 32 − 64 − 128 − 256 − 512 = 2 983
    expect(3_976 + 1 + 2 + 4 + 8 - 16 - 32 - 64 - 128 - 256 - 512).toBe(2_983);
    expect(closingFromTerms(ana)).toBe(2_983);
    // The helper the reports and the waterfall chart check their balance with: any term with the
    // wrong sign moves it off 2 983 by twice that term's (distinct) power of two.
    expect(expectedClosing(ana)).toBe(2_983);
  });
});

describe('pipelineMovement: owners, pipeline-only snapshots', () => {
  it('moves a reassigned deal between reps and teams, but not within the company', () => {
    // B1 goes from Ben (Iberia) to Eve (East) and grows by 1 000; B2 goes from Ana to Ben (same team).
    const movement = pipelineMovement(
      [snap('B1', 'Ben Ortiz', 5_000, '2026-03-01'), snap('B2', 'Ana Ruiz', 2_000, '2026-03-02')],
      [snap('B1', 'Eve Stone', 6_000, '2026-03-01'), snap('B2', 'Ben Ortiz', 2_000, '2026-03-02')],
      window,
      { org, asOf },
    );
    expect(figures(movement, 'rep', 'ben@example.com')).toMatchObject({ opening: 5_000, transferredIn: 2_000, transferredOut: 5_000, closing: 2_000 });
    expect(figures(movement, 'rep', 'eve@example.com')).toMatchObject({ opening: 0, transferredIn: 5_000, increased: 1_000, closing: 6_000 });
    expect(figures(movement, 'rep', 'ana@example.com')).toMatchObject({ opening: 2_000, transferredOut: 2_000, closing: 0 });
    // Ana → Ben stays inside Iberia: no transfer at team level.
    expect(figures(movement, 'team', 'Iberia')).toMatchObject({ opening: 7_000, transferredIn: 0, transferredOut: 5_000, closing: 2_000 });
    expect(figures(movement, 'region', 'AMER')).toMatchObject({ transferredIn: 5_000, increased: 1_000, closing: 6_000 });
    expect(figures(movement, 'company', 'company')).toMatchObject({ opening: 7_000, transferredIn: 0, transferredOut: 0, increased: 1_000, closing: 8_000 });
    expect(movement.deals.transferredOut.map((d) => [d.dealId, d.repId, d.counterpart?.repId])).toEqual([
      ['B1', 'ben@example.com', 'eve@example.com'],
      ['B2', 'ana@example.com', 'ben@example.com'],
    ]);
  });

  it('with open-only snapshots, tells won and lost from removed through `closed`', () => {
    const opening = [snap('C1', 'Ana Ruiz', 1_000, '2026-03-01'), snap('C2', 'Ana Ruiz', 2_000, '2026-03-01'), snap('C3', 'Ana Ruiz', 4_000, '2026-03-01')];
    const movement = pipelineMovement(opening, [], window, {
      org,
      asOf,
      closed: { won: [snap('C1', 'Ana Ruiz', 1_000, '2026-02-10', 'won')], lost: [snap('C2', 'Ana Ruiz', 2_000, '2026-02-11', 'lost')] },
    });
    expect(figures(movement, 'company', 'company')).toMatchObject({ opening: 7_000, won: 1_000, lost: 2_000, removed: 4_000, closing: 0 });
  });

  it('counts a reopened deal as new and a deal dated before the window moving in as pulled in', () => {
    const movement = pipelineMovement(
      [snap('R1', 'Ana Ruiz', 1_000, '2026-01-20', 'lost'), snap('R2', 'Ana Ruiz', 3_000, '2025-12-20')],
      [snap('R1', 'Ana Ruiz', 1_000, '2026-03-20'), snap('R2', 'Ana Ruiz', 3_000, '2026-02-28')],
      window,
      { org, asOf },
    );
    expect(figures(movement, 'company', 'company')).toMatchObject({ opening: 0, new: 1_000, pulledIn: 3_000, closing: 4_000 });
  });

  it('books an unknown owner under Unassigned', () => {
    const movement = pipelineMovement([], [snap('U1', 'Zed Unknown', 900, '2026-03-01')], window, { org: new OrgChart([]), asOf });
    expect(figures(movement, 'rep', 'unassigned')).toMatchObject({ name: 'Unassigned', team: 'Unassigned', new: 900, closing: 900 });
  });
});

describe('pipelineMovement balances for any snapshots (property)', () => {
  const owners = ['Ana Ruiz', 'Ben Ortiz', 'Eve Stone', 'Zed Unknown'];
  const dates = ['2025-12-31', '2026-01-01', '2026-02-15', '2026-03-31', '2026-04-01', '2026-06-30'];
  const snapshotFor = (id: string) =>
    fc.record({
      id: fc.constant(id),
      owner: fc.constantFrom(...owners),
      amount: fc.integer({ min: -1_000_000, max: 100_000_000 }),
      // null: an open deal without a close date (undated pipeline), in no window.
      closeDate: fc.constantFrom<string | null>(...dates, null),
      stageClass: fc.constantFrom<DealSnapshot['stageClass']>('open', 'open', 'won', 'lost'),
      probability: fc.double({ min: 0, max: 1, noNaN: true }),
      createdDate: fc.constantFrom(null, '2025-11-01'),
    });
  const snapshots = fc
    .uniqueArray(fc.integer({ min: 1, max: 40 }), { maxLength: 30 })
    .chain((ids) => fc.tuple(...ids.map((id) => snapshotFor(`D${id}`))));
  const closedLists = fc.record({ won: fc.array(snapshotFor('D1').map((s) => ({ ...s, stageClass: 'won' as const })), { maxLength: 2 }), lost: fc.constant([]) });

  const pipelineTotal = (deals: readonly DealSnapshot[]) =>
    deals
      .filter((d) => d.stageClass === 'open' && d.closeDate !== null && d.closeDate >= window.start && d.closeDate <= window.end)
      .reduce((sum, d) => sum + d.amount, 0);

  it('opening + inflows − outflows = closing at every entity, and the company totals match the snapshots', () => {
    fc.assert(
      fc.property(snapshots, snapshots, closedLists, (opening, closing, closed) => {
        const movement = pipelineMovement(opening, closing, window, { org, asOf, closed });
        for (const entity of movement.entities) expect(closingFromTerms(entity)).toBe(entity.closing);
        const company = movement.entities.find((e) => e.level === 'company');
        expect(company?.opening ?? 0).toBe(pipelineTotal(opening));
        expect(company?.closing ?? 0).toBe(pipelineTotal(closing));
        expect(company?.transferredIn ?? 0).toBe(0);
        // Every rep-level term is the sum of its deal list.
        for (const [term, deals] of Object.entries(movement.deals)) {
          const listed = deals.reduce((sum, d) => sum + d.amount, 0);
          const booked = movement.entities.filter((e) => e.level === 'rep').reduce((sum, e) => sum + e[term as keyof typeof e as 'won'], 0);
          expect(listed).toBe(booked);
        }
      }),
      { numRuns: 300 },
    );
  });
});
