// Every text of the quarterly pre-review pack, one set per locale (en.ts,
// es.ts). Sentences are templates with `{name}` placeholders (filled by
// `fill`), so each language keeps its own word order; counts have `One` and
// `Other` forms.
export interface PackLabels {
  // Document and sheet names
  documentTitle: string; // "{scope} · {period} pre-review"
  sheetSummary: string;
  sheetKeyAccounts: string;
  sheetOpenPipeline: string;
  sheetClosedWon: string;
  sheetDataQuality: string;
  // Titles and headings
  summaryTitle: string; // "{scope} · {period} pre-review · as of {asOf}"
  repTitle: string; // "{rep} · {team} · {period} pre-review · as of {asOf}"
  talkingPoints: string;
  planActual: string;
  fiveQuarterTrend: string;
  pipelineThisAndNext: string;
  topOpenDeals: string;
  keyAccounts: string;
  keyAccountsNote: string;
  attainmentChartTitle: string;
  trendChartTitle: string;
  waterfallChartTitle: string; // "Pipeline movement since {opening}"
  noMovement: string;
  noData: string;
  uploads: string;
  pastDueDeals: string;
  undatedDeals: string;
  unmatchedOwners: string;
  reconciliation: string;
  unusedRows: string;
  none: string;
  // Column headers and key labels
  level: string;
  name: string;
  revenue: string;
  quota: string;
  attainment: string;
  gapToQuota: string;
  pace: string;
  projectedRevenue: string;
  projectedAttainment: string;
  requiredPerBusinessDay: string;
  growthQoQ: string;
  growthYoY: string;
  coverage: string;
  nextQuarterCoverage: string;
  openPipeline: string;
  weightedPipeline: string;
  nextQuarterPipeline: string;
  nextQuarterQuota: string;
  winRate: string;
  wonDeals: string;
  lostDeals: string;
  averageDealSize: string;
  salesCycleMedian: string;
  rankInTeam: string;
  pastDue: string;
  undated: string;
  quarter: string;
  period: string;
  thisQuarter: string;
  nextQuarter: string;
  deal: string;
  account: string;
  owner: string;
  team: string;
  region: string;
  stage: string;
  probability: string;
  amount: string;
  weighted: string;
  closeDate: string;
  createdDate: string;
  age: string;
  cycle: string;
  nextQuarterFlag: string;
  yes: string;
  no: string;
  tier: string;
  share: string;
  repRevenue: string;
  repOpen: string;
  daysPastDue: string;
  file: string;
  kind: string;
  preset: string;
  status: string;
  finishedAt: string;
  read: string;
  accepted: string;
  rejected: string;
  skipped: string;
  loaded: string;
  used: string;
  unused: string;
  reason: string;
  count: string;
  deals: string;
  examples: string;
  // Movement terms (waterfall)
  movementOpening: string;
  movementClosing: string;
  movementNew: string;
  movementPulledIn: string;
  movementIncreased: string;
  movementTransferredIn: string;
  movementPushedOut: string;
  movementDecreased: string;
  movementWon: string;
  movementLost: string;
  movementRemoved: string;
  movementTransferredOut: string;
  // Notes on empty cells
  naNoQuota: string;
  naNoDeals: string;
  // Talking points (templates)
  tpPaceBehind: string; // "Pace {pace} — needs {required} per business day to reach quota"
  tpPaceOnTrack: string; // "Pace {pace} — on track for {projected} of quota"
  tpAttainmentGap: string; // "Attainment {attainment} — {gap} to go to quota"
  tpQuotaMet: string; // "Quota met: {attainment} of quota ({revenue})"
  tpNoQuota: string; // "No quota set for {period}: {revenue} from {won} won deals"
  tpSlippedOne: string;
  tpSlippedOther: string;
  tpCoverage: string; // "Coverage {coverage} against {target} target"
  tpCoverageNext: string; // "; next quarter {next}"
  tpNextQuarterCoverage: string; // "Next quarter coverage {next} against {target} target"
  tpKeyAccount: string; // "Key account {account} {growth} vs last year"
  tpWinRate: string; // "Win rate {winRate} vs {teamWinRate} for the team"
  tpCycle: string; // "Sales cycle {days} days vs {teamDays} for the team"
  tpPastDueOne: string;
  tpPastDueOther: string;
  tpUndatedOne: string;
  tpUndatedOther: string;
  tpHygieneJoin: string; // " and "
  tpHygiene: string; // "{items} to clean up in the CRM"
  tpRevenue: string; // "Revenue {revenue} from {won} won deals"
  tpOpenPipeline: string; // "Open pipeline {open} this quarter ({weighted} weighted)"
  tpNewPipeline: string; // "New pipeline created this quarter: {amount}"
  tpAccuracy: string; // "{quarter}: projected {projected} at week 8, closed {actual} — {accuracy} accuracy"
  tpPushedOne: string; // "1 deal pushed 3+ times ({amount})"
  tpPushedOther: string; // "{count} deals pushed 3+ times ({amount})"
  tpSlipRate: string; // "Slip rate {rate}: {value} of the value expected this quarter not yet closed"
  // Forecast and accountability (rep page, summary)
  forecastAccountability: string;
  commit: string;
  bestCase: string;
  commitAttainment: string;
  slipRate: string;
  slipRateValue: string;
  pushedThreeTimes: string;
  staleDeals: string;
  salesVelocity: string; // "Sales velocity (per day)"
  requiredCoverage: string;
  variance: string;
  accuracyWeek8: string;
  accuracyLastWeek: string;
  accuracyTrend: string; // "Forecast accuracy at week 8, last four quarters"
  sheetForecast: string;
  forecastTitle: string; // "{scope} · {period} forecast and accountability · as of {asOf}"
  pushedOftenTitle: string; // "Deals pushed 3+ times ({count})"
  categoryMovesTitle: string; // "Forecast category changes since {opening}"
  categoryFrom: string;
  movementDealsTitle: string; // "Deals behind the pipeline movement since {opening}"
  movementTerm: string;
  categoryTo: string;

  mostPushedDeals: string;
  closeDatePushes: string;
  lastActivity: string;
  /** Column beside the last activity, shown only when a listed deal has a stage-change date. */
  daysInStage: string;
  forecastCategory: string;
  attainmentDistribution: string;
  below50: string;
  from50to79: string;
  from80to99: string;
  from100to120: string;
  above120: string;
  naNoHistory: string;
  naNoActivity: string;
}

/** Puts values into a `{name}` template; an unknown placeholder is a bug, so it throws. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`label template '${template}' needs {${key}}`);
    return String(value);
  });
}
