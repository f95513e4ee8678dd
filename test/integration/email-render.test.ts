// The weekly scorecard e-mail as a reader sees it: Debian Chromium at 600 and
// 700 px, no network, cid: images served from the attachment bytes.

import { stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataTable, emailDocument, headline, imageBlock } from '../../shared/reports/email/layout.js';
import { CHART_CID, HOSTILE_NAMES, teamWestScorecard } from '../fixtures/email/team-west-scorecard.js';
import { launchEmailBrowser } from '../support/chromium.js';
import type { EmailBrowser } from '../support/chromium.js';
import { onePixelPng } from '../support/png.js';

describe('weekly scorecard e-mail in headless Chromium', () => {
  let browser: EmailBrowser;
  beforeAll(async () => {
    browser = await launchEmailBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('fits 600 and 700 px: no horizontal scroll, headline and table visible, chart loaded, no script, nothing fetched', async () => {
    const fixture = teamWestScorecard();
    const report = await browser.check({ html: fixture.html, images: fixture.images, name: 'scorecard-team-west' });
    console.info(
      `chromium: launch ${report.launchMs.toFixed(0)} ms, ${report.checks.map((c) => `${c.width} px ${c.ms.toFixed(0)} ms`).join(', ')}, total ${report.totalMs.toFixed(0)} ms; screenshots ${report.screenshots.join(', ')}`,
    );

    expect(report.problems).toEqual([]);
    expect(report.checks.map((c) => c.width)).toEqual([600, 700]);
    for (const check of report.checks) {
      expect(check.scrollWidth).toBeLessThanOrEqual(check.width);
      expect(check.images).toEqual([{ src: expect.stringMatching(/^data:image\/png;base64,/), naturalWidth: 600 }]);
      // The card is capped at 640 px: at 700 px it is centred, not stretched.
      expect(check.table!.width).toBeLessThanOrEqual(640);
      expect((await stat(check.screenshot)).size).toBeGreaterThan(10_000);
    }
    for (const name of [...HOSTILE_NAMES, 'Ana Peña']) expect(report.visibleText).toContain(name);
  });

  it('reports a 900-px-wide table, a broken cid image, a tracking pixel, a script that ran and a missing headline', async () => {
    const { html, images } = teamWestScorecard();
    const broken = html
      // A table someone gave a fixed width.
      .replace(/(data-block="data-table" style=")width:100%/, '$1width:900px')
      // A chart whose attachment is missing.
      .replace(`cid:${CHART_CID}`, 'cid:missing-chart@revperf')
      // What the builder makes impossible, written by hand: a remote image and an event handler.
      .replace('</body>', '<img src="https://tracker.example/open.gif" width="1" height="1" alt="" /><img src="x" onerror="window.__pwned=1" alt="" /></body>')
      .replace('data-block="headline"', 'data-block="headline-renamed"');
    const report = await browser.check({ html: broken, images, name: 'scorecard-broken', widths: [600] });
    const problems = report.problems.join('\n');
    expect(problems).toMatch(/horizontal scroll at 600 px: content is 9\d\d px wide in a 600 px window/);
    expect(problems).toMatch(/table \(\[data-block="data-table"\]\) is outside the viewport width .* at 600 px/);
    expect(problems).toContain('broken image at 600 px: cid:missing-chart@revperf');
    expect(problems).toContain('external resource requested: https://tracker.example/open.gif');
    expect(problems).toContain('a script ran at 600 px: window.__pwned is set');
    expect(problems).toContain('event handler attributes in the DOM at 600 px: img[onerror]');
    expect(problems).toContain('headline ([data-block="headline"]) is missing or not visible at 600 px');
  });

  it('reports a dialog opened by a script', async () => {
    const html = emailDocument({
      title: 't',
      preheader: 'p',
      lang: 'en',
      body: [headline('ok', 'green'), dataTable({ columns: [{ header: 'a' }], rows: [{ cells: ['1'] }] }), imageBlock({ cid: 'px', width: 1, height: 1, alt: '' })],
    }).replace('</body>', '<script>alert("hi")</script></body>');
    const report = await browser.check({ html, images: { px: onePixelPng() }, name: 'dialog', widths: [700] });
    expect([...report.problems].sort()).toEqual(['1 <script> element(s) in the DOM at 700 px', 'a script ran: alert dialog "hi"']);
  });
});
