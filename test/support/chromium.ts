// Renders an e-mail body in headless Debian Chromium (driven by playwright-core,
// no downloaded browser) the way a webmail client would show it, and reports
// what a reader would notice: a horizontal scroll bar, a headline or table cut
// off, a broken image, anything fetched from the network, any script that ran.
// Problems are returned, not thrown, so tests can also prove each check fires.

import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACT_DIR = join(REPO_ROOT, 'test-artifacts');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface EmailRenderOptions {
  readonly html: string;
  /** Inline images by Content-ID; `cid:x` is rewritten to a data: URL of these bytes (PNG). */
  readonly images?: Readonly<Record<string, Uint8Array>>;
  /** Viewport widths in CSS pixels (default 600 and 700). */
  readonly widths?: readonly number[];
  /** Screenshot base name: `test-artifacts/<name>-<width>.png`. */
  readonly name: string;
  readonly headlineSelector?: string;
  readonly tableSelector?: string;
  readonly artifactDir?: string;
}

export interface WidthCheck {
  readonly width: number;
  readonly scrollWidth: number;
  readonly innerWidth: number;
  readonly headline: Box | null;
  readonly table: Box | null;
  readonly images: readonly { readonly src: string; readonly naturalWidth: number }[];
  readonly screenshot: string;
  readonly ms: number;
}

export interface EmailRenderReport {
  /** Empty when the e-mail passed every check at every width. */
  readonly problems: string[];
  readonly checks: WidthCheck[];
  readonly screenshots: string[];
  /** The visible text of the body at the first width (for "arrives as plain text" checks). */
  readonly visibleText: string;
  /** Time to start the browser this check ran in (shared between checks). */
  readonly launchMs: number;
  /** Time of this check, without the launch. */
  readonly totalMs: number;
}

/** `src="cid:x"` → `src="data:image/png;base64,…"` for the images given; unknown cids are left to break. */
export function inlineCidImages(html: string, images: Readonly<Record<string, Uint8Array>>): string {
  return html.replace(/src="cid:([^"]+)"/g, (whole, cid: string) => {
    const bytes = images[cid];
    return bytes === undefined ? whole : `src="data:image/png;base64,${Buffer.from(bytes).toString('base64')}"`;
  });
}

/** The little of the DOM the check reads (the project compiles without the DOM lib). */
interface BrowserGlobals {
  readonly document: {
    readonly documentElement: { readonly scrollWidth: number };
    readonly scripts: { readonly length: number };
    readonly images: ArrayLike<{ getAttribute(name: string): string | null; readonly naturalWidth: number; readonly complete: boolean }>;
    readonly body: { readonly innerText: string };
    querySelectorAll(selector: string): ArrayLike<{ readonly tagName: string; readonly attributes: ArrayLike<{ readonly name: string }> }>;
  };
  readonly innerWidth: number;
  /** Set by the fixture's `onerror="window.__pwned=1"` payload if it ever runs. */
  readonly __pwned?: unknown;
}

async function boxOf(page: Page, selector: string): Promise<Box | null> {
  const locator = page.locator(selector).first();
  if ((await locator.count()) === 0 || !(await locator.isVisible())) return null;
  return locator.boundingBox();
}

function boxProblem(what: string, box: Box | null, innerWidth: number): string | null {
  if (box === null) return `${what} is missing or not visible`;
  if (box.width <= 0 || box.height <= 0) return `${what} has an empty box (${box.width}×${box.height})`;
  if (box.x < -0.5 || box.x + box.width > innerWidth + 0.5) {
    return `${what} is outside the viewport width (x ${box.x.toFixed(1)}, right edge ${(box.x + box.width).toFixed(1)} > ${innerWidth})`;
  }
  return null;
}

export interface EmailBrowser {
  /** Renders one e-mail on a fresh page of the shared browser. */
  check(options: EmailRenderOptions): Promise<EmailRenderReport>;
  close(): Promise<void>;
  readonly launchMs: number;
}

/** One Chromium (fresh profile, no network) for several checks; close it when done. */
export async function launchEmailBrowser(): Promise<EmailBrowser> {
  const started = performance.now();
  const userDataDir = await mkdtemp(join(tmpdir(), 'revperf-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 600, height: 900 },
    deviceScaleFactor: 1,
  });
  const launchMs = performance.now() - started;
  return {
    launchMs,
    check: (options) => checkPage(context, options, launchMs),
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

async function checkPage(context: BrowserContext, options: EmailRenderOptions, launchMs: number): Promise<EmailRenderReport> {
  const started = performance.now();
  const widths = options.widths ?? [600, 700];
  const headlineSelector = options.headlineSelector ?? '[data-block="headline"]';
  const tableSelector = options.tableSelector ?? '[data-block="data-table"]';
  const artifactDir = options.artifactDir ?? ARTIFACT_DIR;
  await mkdir(artifactDir, { recursive: true });

  const problems: string[] = [];
  const checks: WidthCheck[] = [];
  let visibleText = '';
  const html = inlineCidImages(options.html, options.images ?? {});
  const page = await context.newPage();
  try {
    // Nothing leaves the machine: every request is refused and counted as a failure.
    await page.route('**/*', (route) => {
      problems.push(`external resource requested: ${route.request().url()}`);
      return route.abort('blockedbyclient');
    });
    page.on('dialog', (dialog) => {
      problems.push(`a script ran: ${dialog.type()} dialog "${dialog.message()}"`);
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));

    for (const width of widths) {
      const t0 = performance.now();
      await page.setViewportSize({ width, height: 900 });
      await page.setContent(html, { waitUntil: 'load' });
      const dom = await page.evaluate(() => {
        const { document, innerWidth, __pwned } = globalThis as unknown as BrowserGlobals;
        const all = Array.from(document.querySelectorAll('*'));
        return {
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth,
          scripts: document.scripts.length,
          handlers: all.flatMap((e) => Array.from(e.attributes).filter((a) => /^on/i.test(a.name)).map((a) => `${e.tagName.toLowerCase()}[${a.name}]`)),
          pwned: __pwned !== undefined,
          images: Array.from(document.images).map((img) => ({ src: img.getAttribute('src')?.slice(0, 40) ?? '', naturalWidth: img.naturalWidth, complete: img.complete })),
          text: document.body.innerText,
        };
      });
      const at = `at ${width} px`;
      if (dom.scrollWidth > dom.innerWidth) problems.push(`horizontal scroll ${at}: content is ${dom.scrollWidth} px wide in a ${dom.innerWidth} px window`);
      if (dom.scripts > 0) problems.push(`${dom.scripts} <script> element(s) in the DOM ${at}`);
      if (dom.handlers.length > 0) problems.push(`event handler attributes in the DOM ${at}: ${dom.handlers.join(', ')}`);
      if (dom.pwned) problems.push(`a script ran ${at}: window.__pwned is set`);
      for (const image of dom.images) {
        if (!image.complete || image.naturalWidth === 0) problems.push(`broken image ${at}: ${image.src}`);
      }
      const headline = await boxOf(page, headlineSelector);
      const table = await boxOf(page, tableSelector);
      for (const p of [boxProblem(`headline (${headlineSelector})`, headline, dom.innerWidth), boxProblem(`table (${tableSelector})`, table, dom.innerWidth)]) {
        if (p !== null) problems.push(`${p} ${at}`);
      }
      const screenshot = join(artifactDir, `${options.name}-${width}.png`);
      await page.screenshot({ path: screenshot, fullPage: true });
      if (checks.length === 0) visibleText = dom.text;
      checks.push({
        width,
        scrollWidth: dom.scrollWidth,
        innerWidth: dom.innerWidth,
        headline,
        table,
        images: dom.images.map(({ src, naturalWidth }) => ({ src, naturalWidth })),
        screenshot,
        ms: performance.now() - t0,
      });
    }
  } finally {
    await page.close();
  }
  return { problems, checks, screenshots: checks.map((c) => c.screenshot), visibleText, launchMs, totalMs: performance.now() - started };
}
