import type { ReportLabels } from './labels.js';

export const es: ReportLabels = {
  common: {
    organisation: 'Organización',
    company: 'Empresa',
    team: 'Equipo',
    region: 'Región',
    rep: 'Comercial',
    notApplicable: 'n/d',
    noQuota: 'sin cuota',
    quotaMet: 'cuota cumplida',
  },
  // --- scorecard (shared/reports/scorecard/) ---
  scorecard: {},
  // --- pack (shared/reports/pack/) ---
  pack: {},
};
