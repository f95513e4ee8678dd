// The weekly scorecard e-mail: subject, HTML body (the e-mail layout blocks:
// inline styles, tables, the chart by CID) and the text/plain alternative,
// both from one ScorecardModel so they say the same thing.
import type { AttainmentChartInput } from '../charts/attainment-chart.js';
import { el } from '../email/html.js';
import {
  dataTable, emailDocument, FONT_STACK, footerBlock, headerBlock, headline, imageBlock, kpiTiles, listSection, PALETTE, ragLegend, textLine,
  type DataRow, type ListItem,
} from '../email/layout.js';
import { amountList, deltaText, plainTextDocument, section, textTable, wrapText } from '../email/plain-text.js';
import type { RagStatus } from '../email/rag.js';
import type { ReportLabels } from '../labels/labels.js';
import type { ReportData, ReportScope } from '../report-data.js';
import { fillLabel } from './scorecard-labels.js';
import { buildScorecardModel, entityName, shownLists, type DealList, type RagLevel, type ScorecardModel } from './scorecard-model.js';
import { scopeView } from './scope-view.js';

export interface ScorecardEmail {
  subject: string;
  html: string;
  text: string;
}

/** The inline chart: the Content-ID its PNG is attached under, its CSS size and alt text. */
export interface ScorecardChartRef {
  cid: string;
  width: number;
  height: number;
  alt: string;
}

export function renderScorecardEmail(data: ReportData, scope: ReportScope, labels: ReportLabels, chart?: ScorecardChartRef): ScorecardEmail {
  const model = buildScorecardModel(data, scope, labels);
  return { subject: model.subject, html: scorecardHtml(model, data, chart), text: scorecardText(model) };
}

/**
 * What to chart for a scope: the organisation's teams, a team's reps (in the
 * table's order), or a rep with their team. Render it with attainmentChart.
 */
export function scorecardChartInput(data: ReportData, scope: ReportScope, labels: ReportLabels, width = 600): AttainmentChartInput {
  const view = scopeView(data, scope);
  const s = labels.scorecard;
  const rows = scope.level === 'company' ? view.rows.filter((row) => row.kind === 'team') : view.rows;
  const entities = rows.map((row) => ({ name: entityName(row.entity, data, s), attainment: row.entity.attainment }));
  if (scope.level === 'rep' && view.entity.team !== null) {
    const team = data.metrics.entities.find((entity) => entity.level === 'team' && entity.id === view.entity.team);
    if (team !== undefined) entities.push({ name: entityName(team, data, s), attainment: team.attainment });
  }
  return {
    title: `${s.chartTitle} · ${data.metrics.period.id}`,
    locale: data.settings.locale,
    width,
    entities,
    rag: data.settings.rag,
    labels: { quotaLine: s.chartQuotaLine, noQuota: labels.common.noQuota, noData: s.chartNoData },
  };
}

function ragStatusOf(model: ScorecardModel, level: RagLevel): RagStatus | undefined {
  const s = model.labels.scorecard;
  return level === 'none' ? undefined : { level, label: { green: s.ragGreen, amber: s.ragAmber, red: s.ragRed }[level] };
}

function scorecardHtml(model: ScorecardModel, data: ReportData, chart: ScorecardChartRef | undefined): string {
  const s = model.labels.scorecard;
  const { format } = model;
  const rag = ragStatusOf(model, model.rag.level);
  const rows: DataRow[] = model.table.map((line) => ({
    cells: line.cells,
    rag: ragStatusOf(model, line.rag),
    emphasis: line.subtotal ? 'subtotal' : undefined,
  }));
  const { green, amber } = data.settings.rag;
  return emailDocument({
    title: model.subject,
    preheader: model.headline,
    lang: data.settings.locale,
    body: [
      headerBlock([model.subject, `${s.title} · ${data.metrics.org}`]),
      rag === undefined ? neutralHeadline(model.headline, model.rag.label) : headline(model.headline, rag),
      kpiTiles(model.tiles),
      dataTable({ columns: model.tableColumns, rows }),
      ragLegend([
        { rag: { level: 'green', label: s.ragGreen }, text: fillLabel(s.legendGreen, { green: format.percent(green) }) },
        { rag: { level: 'amber', label: s.ragAmber }, text: fillLabel(s.legendAmber, { amber: format.percent(amber) }) },
        { rag: { level: 'red', label: s.ragRed }, text: fillLabel(s.legendRed, { amber: format.percent(amber) }) },
      ]),
      chart === undefined ? null : imageBlock(chart),
      textLine(model.movementLine, { bold: true }),
      model.forecastLine === null ? null : textLine(model.forecastLine),
      ...shownLists(model).map((list) => listSection(list.title, list.items as ListItem[], { empty: list.empty, more: more(model, list) })),
      footerBlock([model.freshness, s.workbookAttached]),
    ],
  });
}

/** A headline without a RAG verdict (no quota): a grey bar and the words instead of a colour. */
function neutralHeadline(text: string, note: string) {
  const cell = { fontFamily: FONT_STACK, color: PALETTE.text, lineHeight: '1.3' };
  return el(
    'tr',
    {},
    el(
      'td',
      { style: { padding: '8px 20px 12px 20px' } },
      el(
        'table',
        { role: 'presentation', cellpadding: 0, cellspacing: 0, border: 0, width: '100%', 'data-block': 'headline', style: { width: '100%', borderCollapse: 'collapse' } },
        el(
          'tbody',
          {},
          el(
            'tr',
            {},
            el('td', { width: 6, bgcolor: PALETTE.muted, style: { width: '6px', backgroundColor: PALETTE.muted, fontSize: '1px', lineHeight: '1px' } }, '\u00a0'),
            el(
              'td',
              { bgcolor: PALETTE.faint, style: { padding: '8px 12px', backgroundColor: PALETTE.faint } },
              el('div', { style: { ...cell, fontSize: '19px', fontWeight: 'bold', wordBreak: 'break-word', overflowWrap: 'anywhere' } }, text),
              el('div', { style: { ...cell, fontSize: '12px', color: PALETTE.muted, fontWeight: 'bold', paddingTop: '2px' } }, note),
            ),
          ),
        ),
      ),
    ),
  );
}

function more(model: ScorecardModel, list: DealList): string | undefined {
  const hidden = list.total - list.items.length;
  return hidden > 0 ? fillLabel(model.labels.scorecard.moreInWorkbook, { count: model.format.count(hidden), sheet: list.sheet }) : undefined;
}

function scorecardText(model: ScorecardModel): string {
  const s = model.labels.scorecard;
  const ragWord = (level: RagLevel) => ({ green: s.ragGreen, amber: s.ragAmber, red: s.ragRed, none: '' })[level];
  const lists = shownLists(model).map((list) => {
    const footnote = list.items.length === 0 ? list.empty : more(model, list);
    return section(list.title, [
      ...amountList(list.items.map((item) => ({ label: `${item.primary} (${item.secondary})`, amount: item.amount }))),
      ...(footnote === undefined ? [] : wrapText(footnote)),
    ]);
  });
  return plainTextDocument([
    section(model.subject, [...wrapText(model.headline), ...(model.rag.level === 'none' ? [] : [`(${model.rag.label})`])], '='),
    textTable({
      columns: [{ header: s.title }, { header: '', align: 'right' }, { header: '' }, { header: '' }],
      rows: model.tiles.map((tile) => ({ cells: [tile.label, tile.value, tile.delta ? deltaText(tile.delta) : '', tile.sub ?? ''] })),
    }),
    section(
      fillLabel(s.tableHeading, { scope: model.scopeName }),
      textTable({
        columns: [...model.tableColumns, { header: s.status }],
        rows: model.table.map((line) => ({ cells: [...line.cells, ragWord(line.rag)], emphasis: line.subtotal ? 'subtotal' : undefined })),
      }),
    ),
    wrapText(model.movementLine),
    ...(model.forecastLine === null ? [] : [wrapText(model.forecastLine)]),
    ...lists,
    [...wrapText(model.freshness), ...wrapText(s.workbookAttached)],
  ]);
}
