import type { ReportLabels } from './labels.js';

export const en: ReportLabels = {
  common: {
    organisation: 'Organisation',
    company: 'Company',
    team: 'Team',
    region: 'Region',
    rep: 'Rep',
    notApplicable: 'n/a',
    noQuota: 'no quota',
    quotaMet: 'quota met',
  },
  // --- scorecard (shared/reports/scorecard/) ---
  scorecard: {},
  // --- pack (shared/reports/pack/) ---
  pack: {},
};
