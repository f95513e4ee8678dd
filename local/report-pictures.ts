// Pictures of the two reports for the README, rendered from the sample
// organisation by the project's own pipeline: `npm run docs:reports` →
// docs/scorecard-email.png (a team's weekly scorecard e-mail in headless
// Chromium at 680 px) and docs/pack-rep-sheet.png (one rep's sheet of the
// team's pre-review pack, printed to PDF by LibreOffice and rasterised by
// pdftoppm). Needs Debian's chromium, libreoffice-calc and poppler-utils.
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { runDemo } from './demo.js';

const run = promisify(execFile);
const DOCS = resolve(new URL('../docs/', import.meta.url).pathname);
const TEAM = 'UK & Ireland';
const REP = 'Ana Peña';

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'revperf-pictures-'));
  try {
    const result = await runDemo(join(work, 'out'), () => undefined);
    const ofTeam = (report: (typeof result.reports)[number]) => report.scope.level === 'team' && report.scope.team === TEAM;
    const scorecard = result.reports.find((report) => report.kind === 'weekly-scorecard' && ofTeam(report));
    const pack = result.reports.find((report) => report.kind === 'pre-review-pack' && ofTeam(report));
    if (!scorecard?.keys.html || !pack?.keys.xlsx) throw new Error(`no ${TEAM} reports in the demo run`);

    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 680, height: 900 }, deviceScaleFactor: 1 });
      await page.goto(`file://${join(work, 'out', scorecard.keys.html)}`);
      await page.screenshot({ path: join(DOCS, 'scorecard-email.png'), fullPage: true });
    } finally {
      await browser.close();
    }

    const pdfDir = join(work, 'pdf');
    await run('soffice', [`-env:UserInstallation=file://${join(work, 'lo-profile')}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', pdfDir, join(work, 'out', pack.keys.xlsx)], {
      timeout: 180_000,
    });
    const pdf = join(pdfDir, basename(pack.keys.xlsx).replace(/\.xlsx$/, '.pdf'));
    const { stdout: info } = await run('pdfinfo', [pdf]);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1] ?? 0);
    for (let pageNumber = 1; pageNumber <= pages; pageNumber += 1) {
      const { stdout: text } = await run('pdftotext', ['-f', String(pageNumber), '-l', String(pageNumber), pdf, '-']);
      if (!text.trimStart().startsWith(REP)) continue;
      await run('pdftoppm', ['-f', String(pageNumber), '-l', String(pageNumber), '-png', '-r', '80', '-singlefile', pdf, join(work, 'rep')]);
      await copyFile(join(work, 'rep.png'), join(DOCS, 'pack-rep-sheet.png'));
      console.log(`docs/scorecard-email.png, docs/pack-rep-sheet.png (page ${pageNumber} of ${pages}: ${REP})`);
      return;
    }
    throw new Error(`no page of ${pdf} starts with ${REP}: ${(await readdir(pdfDir)).join(', ')}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exitCode = 1;
});
