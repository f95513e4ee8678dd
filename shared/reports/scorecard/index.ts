// The weekly scorecard: one per scope (organisation, team, rep) — workbook, HTML and text e-mail bodies.
export { renderScorecardWorkbook, type ScorecardWorkbookOptions } from './scorecard-workbook.js';
export { renderScorecardEmail, scorecardChartInput, type ScorecardChartRef, type ScorecardEmail } from './scorecard-email.js';
export { buildScorecardModel, figureDeltas, ragLevel, SCORECARD_FIGURES, TOP_DEALS, type RagLevel, type ScorecardFigure, type ScorecardModel } from './scorecard-model.js';
export { scopeView, byAttainment, ScopeNotFoundError, type ScopeRow, type ScopeView } from './scope-view.js';
export { fillLabel, type ScorecardLabels } from './scorecard-labels.js';
export { ScorecardFormat } from './scorecard-format.js';
