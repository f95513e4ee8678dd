// The pre-review pack's cover e-mail: what the attached workbook is, with the
// scope's headline figures (subject, HTML and text, stored beside the pack).
import { emailDocument, headerBlock, textLine } from '../email/layout.js';
import type { ReportLabels } from '../labels/labels.js';
import type { ReportData, ReportScope } from '../report-data.js';
import { scopeView } from '../scorecard/scope-view.js';
import { ScorecardFormat } from '../scorecard/scorecard-format.js';
import { fillLabel } from '../scorecard/scorecard-labels.js';
import { entityName } from '../scorecard/scorecard-model.js';

export interface MailBodies {
  subject: string;
  html: string;
  text: string;
}

export function packCoverEmail(data: ReportData, scope: ReportScope, labels: ReportLabels, options: { close?: boolean } = {}): MailBodies {
  const d = labels.delivery;
  const { metrics, settings } = data;
  const format = new ScorecardFormat(settings.locale, metrics.currency, settings.timeZone);
  const entity = scopeView(data, scope).entity;
  const scopeName = entityName(entity, data, labels.scorecard);
  const asOf = format.day(metrics.asOf);
  const subject = fillLabel(options.close ? d.closeSubject : d.packSubject, { scope: scopeName, period: metrics.period.id, asOf });
  const headline =
    entity.attainment === null
      ? fillLabel(d.packHeadlineNoQuota, { scope: scopeName, revenue: format.moneyFull(entity.revenue) })
      : fillLabel(d.packHeadline, {
          scope: scopeName,
          attainment: format.percent(entity.attainment),
          revenue: format.moneyFull(entity.revenue),
          projected: entity.projectedRevenue === null ? labels.common.notApplicable : format.moneyFull(entity.projectedRevenue),
        });
  const intro = fillLabel(options.close ? d.closeIntro : d.packIntro, { period: metrics.period.id, asOf });
  const html = emailDocument({
    title: subject,
    preheader: headline,
    lang: settings.locale,
    body: [headerBlock([subject, `${options.close ? d.closeTitle : d.packTitle} · ${metrics.org}`]), textLine(headline, { bold: true }), textLine(intro), textLine(d.packContents, { muted: true })],
  });
  const text = [subject, '='.repeat(Math.min(subject.length, 76)), '', headline, '', intro, '', d.packContents, ''].join('\n');
  return { subject, html, text };
}

