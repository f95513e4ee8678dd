// The talking points a rep page opens with, from hand-made figures: exact
// sentences in English and Spanish, the priority order, the 3–5 bounds, a rep
// without a quota (no attainment, pace or coverage sentence, never "n/a%"),
// and the same points whatever order the key accounts come in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EntityMetrics } from '../../../shared/domain/metrics.js';
import { en } from '../../../shared/reports/labels/en.js';
import { es } from '../../../shared/reports/labels/es.js';
import { fill } from '../../../shared/reports/pack/pack-labels.js';
import { talkingPoints, type TalkingPointContext } from '../../../shared/reports/pack/talking-points.js';

/** Intl puts a no-break space between number and "%" / "€" / "US$" in Spanish. */
const NB = '\u00A0';

function metrics(overrides: Partial<EntityMetrics>): EntityMetrics {
  return {
    level: 'rep',
    id: 'ana@example.com',
    name: 'Ana Peña',
    period: 'FY2027-Q3',
    team: 'West',
    region: 'Americas',
    currency: 'USD',
    revenue: 0,
    quota: null,
    attainment: null,
    gapToQuota: null,
    growthQoQ: null,
    growthYoY: null,
    growthWoW: null,
    pace: null,
    projectedRevenue: null,
    projectedAttainment: null,
    requiredPerDay: null,
    requiredPerBusinessDay: null,
    openPipeline: 0,
    weightedPipeline: 0,
    commitAmount: 0,
    bestCaseAmount: 0,
    pipelineCategoryAmount: 0,
    commitAttainment: null,
    pipelineCoverage: null,
    quotaMet: false,
    coverageHealthy: null,
    nextQuarterPipeline: 0,
    nextQuarterQuota: null,
    nextQuarterCoverage: null,
    totalOpenPipeline: 0,
    totalOpenCount: 0,
    wonCount: 0,
    lostCount: 0,
    lostAmount: 0,
    winRate: null,
    valueWinRate: null,
    averageDealSize: null,
    salesCycleMedianDays: null,
    salesCycleMeanDays: null,
    newPipeline: 0,
    pastDueCount: 0,
    pastDueAmount: 0,
    undatedOpenCount: 0,
    undatedOpenAmount: 0,
    requiredCoverage: null,
    salesVelocity: null,
    slipRate: null,
    slipRateValue: null,
    pushedThreeTimesCount: null,
    staleOpenCount: null,
    forecastAccuracyWeek4: null,
    forecastAccuracyWeek8: null,
    forecastAccuracyLastWeek: null,
    attainmentDistribution: null,
    rankInTeam: null,
    rankInCompany: null,
    revenueComparisons: { previousPeriod: 0, lastYear: 0, previousWeek: null },
    ...overrides,
  };
}

const TEAM = metrics({ level: 'team', id: 'West', name: 'West', team: null, winRate: 0.41, salesCycleMedianDays: 40 });

/** Behind pace: $500,000 quota, 37% attained at 74% pace, $12,400 needed per business day. */
const BEHIND = metrics({
  quota: 50_000_000,
  revenue: 18_500_000,
  attainment: 0.37,
  gapToQuota: 31_500_000,
  pace: 0.74,
  projectedAttainment: 0.5,
  requiredPerBusinessDay: 1_240_000,
  openPipeline: 37_800_000,
  pipelineCoverage: 1.2,
  nextQuarterQuota: 50_000_000,
  nextQuarterCoverage: 0.8,
  wonCount: 3,
  lostCount: 9,
  winRate: 0.25,
  salesCycleMedianDays: 41,
  pastDueCount: 2,
  pastDueAmount: 4_000_000,
  undatedOpenCount: 1,
  undatedOpenAmount: 1_200_000,
});
const BEHIND_CONTEXT: TalkingPointContext = {
  periodLabel: 'FY2027 Q3',
  coverageTarget: 3,
  team: TEAM,
  // $30,000 + $29,000 + $25,000 = $84,000
  slipped: [{ amount: 3_000_000 }, { amount: 2_900_000 }, { amount: 2_500_000 }],
  keyAccounts: [
    { name: 'Fabrikam', growthYoY: 0.1 },
    { name: 'Contoso', growthYoY: -0.35 },
    { name: 'Adatum', growthYoY: null },
  ],
};

const NO_QUOTA = metrics({ revenue: 8_400_000, wonCount: 2, openPipeline: 12_000_000, weightedPipeline: 3_000_000, newPipeline: 5_000_000 });
const NO_QUOTA_CONTEXT: TalkingPointContext = { periodLabel: 'FY2027 Q3', coverageTarget: 3, team: null, slipped: [], keyAccounts: [] };

const QUOTA_MET = metrics({
  quota: 50_000_000,
  revenue: 56_000_000,
  attainment: 1.12,
  gapToQuota: 0,
  quotaMet: true,
  coverageHealthy: true,
  pace: 1.4,
  projectedAttainment: 1.5,
  nextQuarterQuota: 50_000_000,
  nextQuarterCoverage: 2.5,
  wonCount: 6,
  lostCount: 9,
  winRate: 0.4,
  salesCycleMedianDays: 90,
  undatedOpenCount: 1,
  undatedOpenAmount: 1_200_000,
});
const QUOTA_MET_CONTEXT: TalkingPointContext = { periodLabel: 'FY2027 Q3', coverageTarget: 3, team: TEAM, slipped: [], keyAccounts: [{ name: 'Contoso', growthYoY: 0.15 }] };

describe('talkingPoints, in English', () => {
  it('leads with pace and the amount needed per business day, then slipped deals, coverage, the key account and the win rate', () => {
    expect(talkingPoints(BEHIND, BEHIND_CONTEXT, en.pack, 'en')).toEqual([
      'Pace 74% — needs $12.4K per business day to reach quota',
      '3 deals worth $84K slipped out of the quarter',
      'Coverage 1.2× against 3× target; next quarter 0.8×',
      'Key account Contoso −35% vs last year',
      'Win rate 25% vs 41% for the team',
    ]);
  });

  it('says quota met, next quarter’s coverage, a sales-cycle outlier and the CRM hygiene', () => {
    expect(talkingPoints(QUOTA_MET, QUOTA_MET_CONTEXT, en.pack, 'en')).toEqual([
      'Quota met: 112% of quota ($560K)',
      'Next-quarter coverage 2.5× against 3× target',
      'Sales cycle 90 days vs 40 for the team',
      'Clean up in the CRM: 1 deal without a close date ($12K)',
    ]);
  });

  it('says on track with the projected attainment when the pace is at or above 100%', () => {
    const onTrack = metrics({ quota: 50_000_000, revenue: 30_000_000, attainment: 0.6, gapToQuota: 20_000_000, pace: 1.06, projectedAttainment: 0.97, requiredPerBusinessDay: 500_000 });
    expect(talkingPoints(onTrack, NO_QUOTA_CONTEXT, en.pack, 'en')[0]).toBe('Pace 106% — on track for 97% of quota');
  });

  it('gives a rep without a quota no attainment, pace or coverage sentence, and never "n/a%"', () => {
    const points = talkingPoints(NO_QUOTA, NO_QUOTA_CONTEXT, en.pack, 'en');
    expect(points).toEqual([
      'No quota set for FY2027 Q3: $84K won so far',
      'Open pipeline $120K this quarter ($30K weighted)',
      'New pipeline created this quarter: $50K',
    ]);
    for (const point of points) {
      expect(point).not.toMatch(/%|n\/a|NaN|Pace|Attainment|Coverage/);
    }
  });
});

describe('talkingPoints, in Spanish', () => {
  it('translates every sentence, with Spanish number and currency formats', () => {
    expect(talkingPoints(BEHIND, BEHIND_CONTEXT, es.pack, 'es')).toEqual([
      `Ritmo 74${NB}%: necesita 12,4${NB}mil${NB}US$ por día hábil para llegar a la cuota`,
      `3 oportunidades por 84${NB}mil${NB}US$ se han ido fuera del trimestre`,
      'Cobertura 1,2× frente al objetivo de 3×; próximo trimestre 0,8×',
      `Cuenta clave Contoso: −35${NB}% frente al año pasado`,
      `Tasa de éxito 25${NB}% frente al 41${NB}% del equipo`,
    ]);
    expect(talkingPoints(QUOTA_MET, QUOTA_MET_CONTEXT, es.pack, 'es')).toEqual([
      `Cuota cumplida: 112${NB}% de la cuota (560${NB}mil${NB}US$)`,
      'Cobertura del próximo trimestre 2,5× frente al objetivo de 3×',
      'Ciclo de venta de 90 días frente a 40 del equipo',
      `Poner al día en el CRM: 1 oportunidad sin fecha de cierre (12${NB}mil${NB}US$)`,
    ]);
  });

  it('gives a rep without a quota no attainment sentence in Spanish either', () => {
    const points = talkingPoints(NO_QUOTA, NO_QUOTA_CONTEXT, es.pack, 'es');
    expect(points).toEqual([
      `Sin cuota asignada para FY2027 Q3: 84${NB}mil${NB}US$ ganados hasta ahora`,
      `Cartera abierta de 120${NB}mil${NB}US$ este trimestre (30${NB}mil${NB}US$ ponderada)`,
      `Cartera nueva creada este trimestre: 50${NB}mil${NB}US$`,
    ]);
    expect(points.join(' ')).not.toMatch(/%|n\/d|NaN|Ritmo|Cumplimiento|Cobertura/);
  });

  it('uses the singular for one slipped deal, one past-due deal', () => {
    const rep = { ...BEHIND, pastDueCount: 1, pastDueAmount: 2_000_000, undatedOpenCount: 0, pipelineCoverage: null, nextQuarterCoverage: null };
    const context = { ...BEHIND_CONTEXT, slipped: [{ amount: 4_900_000 }], keyAccounts: [], team: null };
    expect(talkingPoints(rep, context, es.pack, 'es')).toEqual([
      `Ritmo 74${NB}%: necesita 12,4${NB}mil${NB}US$ por día hábil para llegar a la cuota`,
      `1 oportunidad de 49${NB}mil${NB}US$ se ha ido fuera del trimestre`,
      `Poner al día en el CRM: 1 oportunidad vencida (20${NB}mil${NB}US$)`,
    ]);
  });
});

describe('talkingPoints rules', () => {
  it('is deterministic: the key accounts in any order give the same points', () => {
    const reversed = { ...BEHIND_CONTEXT, keyAccounts: [...BEHIND_CONTEXT.keyAccounts].reverse() };
    expect(talkingPoints(BEHIND, reversed, en.pack, 'en')).toEqual(talkingPoints(BEHIND, BEHIND_CONTEXT, en.pack, 'en'));
    // A tie in swing size goes to the name first in order, whichever comes first in the list.
    const tie = { ...BEHIND_CONTEXT, keyAccounts: [{ name: 'Zeta', growthYoY: 0.35 }, { name: 'Alpha', growthYoY: -0.35 }] };
    expect(talkingPoints(BEHIND, tie, en.pack, 'en')[3]).toBe('Key account Alpha −35% vs last year');
  });

  it('leaves out a key-account swing under 20%', () => {
    const points = talkingPoints(BEHIND, { ...BEHIND_CONTEXT, keyAccounts: [{ name: 'Contoso', growthYoY: -0.19 }] }, en.pack, 'en');
    expect(points.some((point) => point.includes('Contoso'))).toBe(false);
    // The hygiene point moves up into the five.
    expect(points[4]).toBe('Clean up in the CRM: 2 past-due deals ($40K) and 1 deal without a close date ($12K)');
  });

  it('every en and es template fills with the placeholders talkingPoints gives (a missing one throws)', () => {
    expect(() => fill('{missing}', {})).toThrow(/needs \{missing\}/);
    for (const labels of [en.pack, es.pack]) {
      for (const rep of [BEHIND, NO_QUOTA, QUOTA_MET]) expect(() => talkingPoints(rep, BEHIND_CONTEXT, labels, 'en')).not.toThrow();
    }
  });

  it('always gives 3 to 5 points, none empty, and never n/a or NaN (property)', () => {
    const ratio = fc.option(fc.double({ min: 0, max: 5, noNaN: true }), { nil: null });
    const money = fc.integer({ min: 0, max: 10_000_000_000 });
    const optionalMoney = fc.option(money, { nil: null });
    fc.assert(
      fc.property(
        fc.record({
          quota: optionalMoney,
          revenue: money,
          attainment: ratio,
          pace: ratio,
          projectedAttainment: ratio,
          gapToQuota: optionalMoney,
          requiredPerBusinessDay: optionalMoney,
          pipelineCoverage: ratio,
          nextQuarterCoverage: ratio,
          quotaMet: fc.boolean(),
          winRate: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
          wonCount: fc.nat(50),
          lostCount: fc.nat(50),
          salesCycleMedianDays: fc.option(fc.nat(400), { nil: null }),
          pastDueCount: fc.nat(5),
          pastDueAmount: money,
          undatedOpenCount: fc.nat(5),
          undatedOpenAmount: money,
        }),
        fc.array(fc.record({ amount: money }), { maxLength: 4 }),
        fc.array(fc.record({ name: fc.string({ minLength: 1, maxLength: 12 }), growthYoY: ratio }), { maxLength: 4 }),
        fc.constantFrom<'en' | 'es'>('en', 'es'),
        (figures, slipped, keyAccounts, locale) => {
          // A ratio against the quota exists only with a quota, as in the metrics engine.
          const rep = figures.quota === null ? metrics({ ...figures, attainment: null, pace: null, pipelineCoverage: null, nextQuarterCoverage: null, quotaMet: false }) : metrics(figures);
          const labels = locale === 'en' ? en.pack : es.pack;
          const points = talkingPoints(rep, { periodLabel: 'FY2027 Q3', coverageTarget: 3, team: TEAM, slipped, keyAccounts }, labels, locale);
          expect(points.length).toBeGreaterThanOrEqual(3);
          expect(points.length).toBeLessThanOrEqual(5);
          for (const point of points) {
            expect(point.trim()).not.toBe('');
            expect(point).not.toMatch(/n\/a|n\/d|NaN|Infinity|undefined|null/);
          }
          if (rep.quota === null) expect(points.join(' ')).not.toMatch(/Pace|Ritmo|Attainment|Cumplimiento|Coverage|Cobertura/);
          expect(talkingPoints(rep, { periodLabel: 'FY2027 Q3', coverageTarget: 3, team: TEAM, slipped, keyAccounts }, labels, locale)).toEqual(points);
        },
      ),
    );
  });
});

describe('talkingPoints on the accountability figures', () => {
  // No quota, nothing slipped: the pushes and the accuracy points come right after the quota sentence.
  const LATE = metrics({ revenue: 8_400_000, wonCount: 2, slipRate: 0.5, slipRateValue: 0.4 });
  const lastQuarter = { label: 'FY2027 Q2', projectedWeek8: 12_000_000, actual: 8_400_000, accuracyWeek8: 0.5714 };

  it('raises deals pushed 3+ times and last quarter’s accuracy at week 8, in English', () => {
    const points = talkingPoints(
      LATE,
      { ...NO_QUOTA_CONTEXT, pushedOften: [{ amount: 3_000_000 }, { amount: 1_500_000 }], lastQuarter },
      en.pack,
      'en',
    );
    expect(points).toEqual([
      'No quota set for FY2027 Q3: $84K won so far',
      '2 deals pushed 3+ times ($45K): ask what would make their dates hold',
      'FY2027 Q2: projected $120K at week 8, closed $84K — 57% accuracy',
    ]);
  });

  it('raises a slip rate of 25%+ by value when no deal was pushed 3+ times, and says it in Spanish', () => {
    const points = talkingPoints(LATE, { ...NO_QUOTA_CONTEXT, pushedOften: [] }, es.pack, 'es');
    expect(points[1]).toBe(`Tasa de retraso 50${NB}%: 40${NB}% del valor previsto para este trimestre aún no se ha cerrado`);
    const one = talkingPoints(LATE, { ...NO_QUOTA_CONTEXT, pushedOften: [{ amount: 1_500_000 }] }, es.pack, 'es');
    expect(one[1]).toBe(`1 operación aplazada 3+ veces (15${NB}mil${NB}US$): pregunta qué haría falta para que su fecha se cumpla`);
  });

  it('says nothing of slip rate below 25% by value, nor of accuracy without a stored projection', () => {
    const calm = metrics({ revenue: 8_400_000, wonCount: 2, slipRate: 0.3, slipRateValue: 0.2 });
    const points = talkingPoints(calm, { ...NO_QUOTA_CONTEXT, pushedOften: [], lastQuarter: null }, en.pack, 'en');
    expect(points.some((point) => /slip|accuracy|pushed/i.test(point))).toBe(false);
  });
});
