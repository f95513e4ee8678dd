// The texts of both reports, one module per locale (en.ts, es.ts). Each
// locale must give every key: the type below is the contract, so a missing
// translation is a compile error, not a blank cell.
export interface ReportLabels {
  common: {
    organisation: string;
    company: string;
    team: string;
    region: string;
    rep: string;
    notApplicable: string;
    noQuota: string;
    quotaMet: string;
    /** The forecast categories as a reader knows them (Salesforce's names in English). */
    forecastCategories: Record<import('../../domain/types.js').ForecastCategory, string>;
  };
  /** The weekly scorecard (workbook, HTML and text bodies). Owned by shared/reports/scorecard/. */
  scorecard: import('../scorecard/scorecard-labels.js').ScorecardLabels;
  /** The quarterly pre-review pack and its talking points. Owned by shared/reports/pack/. */
  pack: import('../pack/pack-labels.js').PackLabels;
  /** What delivery adds to a mailed report: the pack's cover e-mail, late and download notices. Owned by shared/delivery/. */
  delivery: import('../../delivery/delivery-labels.js').DeliveryLabels;
}
