// The texts of the weekly scorecard (workbook, HTML and text bodies), one
// object per locale in labels/en.ts and labels/es.ts. Texts with `{name}`
// placeholders are filled by `fillLabel`; the placeholders are the contract
// (a translation may move them, never rename them).
export interface ScorecardLabels {
  /** "Weekly scorecard": the workbook title and the e-mail's second header line. */
  title: string;
  /** "Team {name}" — the scope name of a team. */
  teamScope: string;
  /** "{scope} · {period} · week {week} of {weeks} · as of {asOf}". */
  subject: string;
  /** "{scope}: {attainment} of {period} quota" */
  headlineAttainment: string;
  /** A scope without a quota: "{scope}: {revenue} won in {period}, no quota". */
  headlineNoQuota: string;
  /** "{delta} this week" */
  headlineDelta: string;
  /** "first report" (no previous snapshot: no deltas). */
  firstReport: string;
  /** "coverage {coverage} (target {target})" */
  headlineCoverage: string;
  /** Attainment points: "{value} pts". */
  points: string;
  ragGreen: string;
  ragAmber: string;
  ragRed: string;
  /** "no quota" under a headline without RAG. */
  ragNone: string;
  /** "● on track ≥ {green}", "● at risk ≥ {amber}", "● behind < {amber}". */
  legendGreen: string;
  legendAmber: string;
  legendRed: string;
  // KPI tiles and figure names (workbook headers and e-mail table).
  revenue: string;
  quota: string;
  attainment: string;
  pace: string;
  projectedAttainment: string;
  gapToQuota: string;
  requiredPerDay: string;
  pipelineCoverage: string;
  nextQuarterCoverage: string;
  winRate: string;
  averageDealSize: string;
  /** Column header of a week-over-week change: "Δ {figure}". */
  deltaOf: string;
  /** Short headers for the e-mail table. */
  shortAttainment: string;
  shortDelta: string;
  shortCoverage: string;
  shortWinRate: string;
  /** The projection tile: "Projected". */
  shortProjected: string;
  /** Tile sub-lines: "of {quota}", "{value} of quota", "won this quarter". */
  ofQuota: string;
  projectedOfQuota: string;
  wonThisQuarter: string;
  /** "{scope} by rep" (the table's heading in the text body). */
  tableHeading: string;
  /** Subtotal row names: "{name} total". */
  subtotal: string;
  // The movement line: "This week: +$210k won (5) · +$340k new · −$120k slipped · −$80k lost".
  movementPrefix: string;
  // The forecast line (accountability figures) and its workbook columns.
  /** "Forecast" */
  forecastPrefix: string;
  /** "commit {amount}" */
  forecastCommit: string;
  /** "best case {amount}" */
  forecastBestCase: string;
  /** "pipeline {amount}" (the pipeline forecast category) */
  forecastPipeline: string;
  /** "{value} with commit" (revenue + commit ÷ quota) */
  forecastCommitAttainment: string;
  /** "slip rate {count} ({value} of value)" */
  forecastSlip: string;
  /** "{count} into commit ({amount})" */
  forecastIntoCommit: string;
  /** "{count} out of commit ({amount})" */
  forecastOutOfCommit: string;
  /** "{count} pushed 3+ times" */
  forecastPushed: string;
  /** "{count} stale ({days}+ days without activity)" */
  forecastStale: string;
  commitAmount: string;
  bestCaseAmount: string;
  commitAttainment: string;
  slipRate: string;
  slipRateValue: string;
  pushedThreeTimesCount: string;
  staleOpenCount: string;
  /** n/a note of the history figures: "n/a: no earlier snapshot in the period" */
  naNoHistory: string;
  /** n/a note of stale deals: "n/a: the export has no last-activity date" */
  naNoActivity: string;
  /** The list of deals pushed 3+ times: title, empty text, "pushed {count}× · closes {date}". */
  pushedOften: string;
  nonePushed: string;
  pushedDetail: string;
  closeDatePushes: string;
  lastActivity: string;
  /** Column beside the last activity, shown only when a listed deal has a stage-change date. */
  daysInStage: string;
  /** n/a note of days in stage: "n/a: no stage-change date for this deal" */
  naNoStageChange: string;
  forecastCategory: string;
  movementWon: string;
  movementNew: string;
  movementSlipped: string;
  movementLost: string;
  // Lists.
  topWins: string;
  slipped: string;
  pastDue: string;
  undated: string;
  noneThisWeek: string;
  noneUndated: string;
  noneSlipped: string;
  nonePastDue: string;
  /** "and {count} more in the workbook ({sheet} sheet)" */
  moreInWorkbook: string;
  /** "won {date}" */
  wonOn: string;
  /** "{from} → {to}" with "no date" for a missing one. */
  movedDates: string;
  noDate: string;
  /** "due {date} ({days} days ago)" */
  dueOn: string;
  // Freshness footer.
  /** "Data: {uploads} · {currency} · {timeZone} · {rejected}" */
  freshness: string;
  /** "{file} ({rows} rows, {time})" */
  uploadLine: string;
  /** "{count} rows rejected (see the workbook's Data sheet)" / none. */
  rowsRejected: string;
  noRowsRejected: string;
  noUploads: string;
  workbookAttached: string;
  /** "Generated {time} ({timeZone})" */
  generatedAt: string;
  // Workbook sheets and columns.
  sheetScorecard: string;
  sheetWins: string;
  sheetSlipped: string;
  /** The sheet of open deals pushed 3+ times. */
  sheetPushed: string;
  sheetPastDueUndated: string;
  sheetData: string;
  sheetChart: string;
  level: string;
  name: string;
  deal: string;
  account: string;
  stage: string;
  amount: string;
  probability: string;
  closeDate: string;
  previousCloseDate: string;
  createdDate: string;
  ageDays: string;
  daysPastDue: string;
  issue: string;
  /** Notes on empty cells. */
  naNoQuota: string;
  naCoverage: string;
  naFirstReport: string;
  naNoDate: string;
  // Data sheet.
  dataTitle: string;
  organisation: string;
  period: string;
  asOf: string;
  generated: string;
  currency: string;
  timeZone: string;
  uploads: string;
  file: string;
  kind: string;
  preset: string;
  /** Upload status (Data sheet) and the RAG column of the text body's table. */
  status: string;
  finishedAt: string;
  rowsRead: string;
  rowsAccepted: string;
  rejected: string;
  rowsSkipped: string;
  reconciliation: string;
  loaded: string;
  used: string;
  unused: string;
  reason: string;
  count: string;
  chartTitle: string;
  chartQuotaLine: string;
  chartNoData: string;
}

/** Fills `{name}` placeholders; a placeholder without a value is a bug, so it throws. */
export function fillLabel(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`label '${template}' needs a value for {${key}}`);
    return String(value);
  });
}
