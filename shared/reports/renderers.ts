// The renderers the report use case runs: the weekly scorecard (workbook,
// HTML and text bodies, with the attainment chart inline and in the workbook)
// and the pre-review pack (workbook and its cover e-mail). Each report is collected in memory before it is
// stored: a scorecard is small, and a pack of 500 reps and 200k deals is tens of MB.
import { PassThrough } from 'node:stream';
import type { RevperfConfig } from '../config/schema.js';
import { attainmentChart } from './charts/attainment-chart.js';
import { labelsFor } from './labels/index.js';
import { packCoverEmail } from './pack/pack-email.js';
import { renderPackWorkbook } from './pack/pack-workbook.js';
import type { ReportData, ReportScope } from './report-data.js';
import type { RenderedFiles, ReportRenderers } from './report-run.js';
import { renderScorecardEmail, scorecardChartInput } from './scorecard/scorecard-email.js';
import { renderScorecardWorkbook } from './scorecard/scorecard-workbook.js';

/** Content-ID of the inline attainment chart in every scorecard e-mail. */
export const SCORECARD_CHART_CID = 'attainment-chart@revperf';

export function reportRenderers(config: RevperfConfig): ReportRenderers {
  const labels = labelsFor(config.org.locale);
  return {
    async scorecard(data: ReportData, scope: ReportScope): Promise<RenderedFiles> {
      const chart = await attainmentChart(scorecardChartInput(data, scope, labels));
      const xlsx = await collect((output) =>
        renderScorecardWorkbook(data, scope, labels, output, { chartPng: chart.png, chartSize: { width: chart.width, height: chart.height }, chartAlt: chart.alt }),
      );
      const email = renderScorecardEmail(data, scope, labels, { cid: SCORECARD_CHART_CID, width: chart.width, height: chart.height, alt: chart.alt });
      return { xlsx, html: email.html, text: email.text, subject: email.subject, images: [{ cid: SCORECARD_CHART_CID, png: chart.png }] };
    },
    async pack(data: ReportData, scope: ReportScope, options: { close?: boolean } = {}): Promise<RenderedFiles> {
      const xlsx = await collect((output) => renderPackWorkbook(data, scope, labels, output));
      return { xlsx, ...packCoverEmail(data, scope, labels, options) };
    },
  };
}

/** The bytes a renderer writes to a stream; a failure of either the renderer or the stream rejects. */
async function collect(render: (output: PassThrough) => Promise<unknown>): Promise<Uint8Array> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    output.on('end', resolve);
    output.on('error', reject);
  });
  const rendered = render(output).then(() => {
    if (!output.writableEnded) output.end();
  });
  try {
    await Promise.all([rendered, ended]);
  } catch (error) {
    output.destroy();
    throw error;
  }
  return Buffer.concat(chunks);
}
