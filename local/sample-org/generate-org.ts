// The in-memory model of Northwind Cloud, the fictional sample organisation the
// demo and the end-to-end tests load: people, quotas, key accounts, exchange
// rates and nine fiscal quarters of deals from three CRMs, plus a handful of
// deliberately bad rows. Deterministic: the same options give the same org.
import type { LocalDate } from '../../shared/domain/types.js';
import { normaliseName } from '../../shared/domain/types.js';
import { fiscalQuarterByOrdinal, fiscalQuarterOf } from './dates.js';
import type { AccountRow, SampleOrg, SampleOrgOptions, Timeline } from './model.js';
import { buildConfig } from './org-config.js';
import { assignIdsAndOrder, buildAccountPools, buildFxRates, dealsOfRep, plantBadRows } from './org-deals.js';
import { buildPeople, NameBook, planReps } from './org-people.js';
import { buildQuotaRows, toDomainQuota } from './org-quotas.js';
import { SeededRandom } from './random.js';
import { FISCAL_YEAR_START_MONTH, FORMER_KEY_ACCOUNT, KEY_ACCOUNTS } from './roster.js';

export const DEFAULT_SEED = 2027;
export const DEFAULT_AS_OF: LocalDate = '2026-11-16';
export const DEFAULT_REPS_PER_TEAM = 7;
/** Quarters of history, ending with the quarter that contains the as-of date. */
export const QUARTERS_OF_HISTORY = 9;

export function generateSampleOrg(options: SampleOrgOptions = {}): SampleOrg {
  const seed = options.seed ?? DEFAULT_SEED;
  const asOf = options.asOf ?? DEFAULT_AS_OF;
  const repsPerTeam = options.repsPerTeam ?? DEFAULT_REPS_PER_TEAM;
  const dealsScale = options.dealsScale ?? 1;
  if (!Number.isInteger(repsPerTeam) || repsPerTeam < 6) {
    throw new RangeError('repsPerTeam must be an integer of at least 6 (the mover, the leaver and the hires need distinct reps)');
  }
  if (!(dealsScale > 0)) throw new RangeError('dealsScale must be positive');

  // The order of these draws is part of the output: reordering them changes every file.
  const rng = new SeededRandom(seed);
  const timeline = buildTimeline(asOf);
  const fxRates = buildFxRates(rng, timeline);
  const names = new NameBook(rng);
  const reps = planReps(rng, names, timeline, repsPerTeam);
  const accounts = buildAccountPools(rng);
  const generated = reps.flatMap((rep) => dealsOfRep(rng, rep, timeline, accounts, fxRates, dealsScale));
  const exports = assignIdsAndOrder(rng, generated);
  const badRows = plantBadRows(exports);
  const quotaRows = buildQuotaRows(reps, timeline);
  const accountRows: AccountRow[] = [
    ...KEY_ACCOUNTS.map((account) => ({ name: account.name, tier: account.tier, keyAccount: true })),
    { name: FORMER_KEY_ACCOUNT, tier: 'Growth', keyAccount: false },
  ];

  return {
    config: buildConfig(timeline),
    people: buildPeople(names, reps),
    deals: (['salesforce', 'hubspot', 'pipedrive'] as const).flatMap((source) =>
      exports[source].filter((row) => row.defect === null).map((row) => row.deal),
    ),
    quotas: quotaRows.map(toDomainQuota),
    keyAccounts: KEY_ACCOUNTS.map((account) => ({ id: normaliseName(account.name), name: account.name, tier: account.tier })),
    fxRates,
    badRows,
    asOf,
    quarters: timeline.quarters,
    exports,
    quotaRows,
    accountRows,
  };
}

function buildTimeline(asOf: LocalDate): Timeline {
  const current = fiscalQuarterOf(asOf, FISCAL_YEAR_START_MONTH);
  const quarters = Array.from({ length: QUARTERS_OF_HISTORY }, (_, index) =>
    fiscalQuarterByOrdinal(current.ordinal - QUARTERS_OF_HISTORY + 1 + index, FISCAL_YEAR_START_MONTH),
  );
  return { asOf, current, quarters };
}
