// The pack's first sheet: the scope's figures by level (company, regions,
// teams — or, in a team's pack, the team and its reps), each level its own
// table so a data bar compares like with like, with RAG on attainment and
// pace; then the charts: attainment by team (or rep), the five-quarter revenue
// trend and the pipeline movement waterfall since the last snapshot.
import type { EntityMetrics } from '../../domain/metrics.js';
import type { EntityLevel } from '../../domain/types.js';
import type { BlockTable, ReportWorkbook } from '../excel/index.js';
import type { ReportLabels } from '../labels/labels.js';
import type { ReportData } from '../report-data.js';
import { fill } from './pack-labels.js';
import type { ScopedPack } from './pack-scope.js';

export interface SummaryChart {
  imageId: number;
  alt: string;
  widthPx: number;
  heightPx: number;
}

export interface SummaryPage {
  title: string;
  tables: BlockTable[];
}

const LEVEL_ORDER: readonly EntityLevel[] = ['company', 'region', 'team', 'rep'];

export function summaryPage(pack: ScopedPack, data: ReportData, labels: ReportLabels): SummaryPage {
  const text = labels.pack;
  const rag = data.settings.rag;
  const heading: Record<EntityLevel, string> = { company: labels.common.company, region: labels.common.region, team: labels.common.team, rep: labels.common.rep };
  const tables: BlockTable[] = [];
  for (const level of LEVEL_ORDER) {
    const entities = pack.summaryEntities.filter((entity) => entity.level === level);
    if (entities.length === 0) continue;
    tables.push({
      title: heading[level],
      columns: [
        { key: 'name', header: text.name, kind: 'text' },
        { key: 'revenue', header: text.revenue, kind: 'money' },
        { key: 'quota', header: text.quota, kind: 'money', naNote: text.naNoQuota },
        { key: 'attainment', header: text.attainment, kind: 'percentTable', naNote: text.naNoQuota },
        { key: 'pace', header: text.pace, kind: 'percentTable', naNote: text.naNoQuota },
        { key: 'projected', header: text.projectedAttainment, kind: 'percentTable', naNote: text.naNoQuota },
        { key: 'growthQoQ', header: text.growthQoQ, kind: 'percentTable' },
        { key: 'growthYoY', header: text.growthYoY, kind: 'percentTable' },
        { key: 'coverage', header: text.coverage, kind: 'ratioTimes' },
        { key: 'nextCoverage', header: text.nextQuarterCoverage, kind: 'ratioTimes' },
        { key: 'winRate', header: text.winRate, kind: 'percentTable' },
      ],
      rows: entities.map((entity) => summaryRow(entity, labels)),
      rag: { attainment: rag, pace: rag },
      ...(entities.length > 1 ? { dataBar: { column: 'revenue' } } : {}),
    });
  }
  return {
    title: fill(text.summaryTitle, { scope: pack.scopeName, period: data.metrics.period.label, asOf: data.metrics.asOf }),
    tables,
  };
}

function summaryRow(entity: EntityMetrics, labels: ReportLabels) {
  return {
    // The company row carries the word, not the export's internal id.
    name: entity.level === 'company' ? labels.common.company : entity.name,
    revenue: entity.revenue,
    quota: entity.quota,
    attainment: entity.attainment,
    pace: entity.pace,
    projected: entity.projectedAttainment,
    growthQoQ: entity.growthQoQ,
    growthYoY: entity.growthYoY,
    coverage: entity.pipelineCoverage,
    nextCoverage: entity.nextQuarterCoverage,
    winRate: entity.winRate,
  };
}

export function writeSummary(workbook: ReportWorkbook, page: SummaryPage, labels: ReportLabels, charts: readonly SummaryChart[], notes: readonly string[]): void {
  const sheet = workbook.addBlockSheet(labels.pack.sheetSummary, { onePage: true });
  sheet.title(page.title);
  for (const note of notes) sheet.line(note);
  sheet.blank();
  for (const table of page.tables) sheet.table(table).blank();
  for (const chart of charts) sheet.picture(chart.imageId, { alt: chart.alt, widthPx: chart.widthPx, heightPx: chart.heightPx });
  sheet.commit();
}
