// LibreOffice as the independent reader of the workbooks we write: a file it
// cannot convert to PDF fails the test. Two soffice processes on one profile
// collide (the second exits at once, or waits on the first's lock), and a
// fresh profile costs ~15 s to set up, so each process (each vitest worker)
// has one profile of its own and runs its conversions one after another.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { basename, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface PdfConversion {
  pdfPath: string;
  pages: number;
}

const DEFAULT_TIMEOUT_MS = 120_000;
const PROFILE = join(os.tmpdir(), `revperf-lo-${process.pid}-${randomUUID()}`);
let queue: Promise<unknown> = Promise.resolve();
process.once('exit', () => rmSync(PROFILE, { recursive: true, force: true }));

/** Runs conversions of this process one at a time (they share a profile). */
function serialised<T>(work: () => Promise<T>): Promise<T> {
  const result = queue.then(work, work);
  queue = result.catch(() => undefined);
  return result;
}

function run(command: string, args: readonly string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string; error?: Error }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      resolve({
        code: error === null ? 0 : typeof (error as NodeJS.ErrnoException).code === 'number' ? ((error as unknown as { code: number }).code) : null,
        stdout: String(stdout),
        stderr: String(stderr),
        ...(error === null ? {} : { error }),
      });
    });
  });
}

/**
 * Converts an .xlsx to PDF with headless LibreOffice into `outDir` (default: a
 * fresh temporary folder) and counts the PDF's pages. Throws with soffice's
 * output when no PDF appears.
 */
export function convertToPdf(xlsxPath: string, options: { outDir?: string; timeoutMs?: number } = {}): Promise<PdfConversion> {
  return serialised(() => convert(xlsxPath, options));
}

async function convert(xlsxPath: string, options: { outDir?: string; timeoutMs?: number }): Promise<PdfConversion> {
  const outDir = options.outDir ?? join(os.tmpdir(), `revperf-lo-out-${randomUUID()}`);
  mkdirSync(outDir, { recursive: true });
  const pdfPath = join(outDir, `${basename(xlsxPath, extname(xlsxPath))}.pdf`);
  rmSync(pdfPath, { force: true });
  const args = ['--headless', '--norestore', '--nolockcheck', `-env:UserInstallation=${pathToFileURL(PROFILE).href}`];
  const result = await run('soffice', [...args, '--convert-to', 'pdf', '--outdir', outDir, xlsxPath], options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  if (!existsSync(pdfPath)) {
    throw new Error(
      `LibreOffice made no PDF of ${xlsxPath} (exit ${result.code ?? 'killed/timeout'}${result.error ? `, ${result.error.message}` : ''})\n` +
        `stdout: ${result.stdout.trim()}\nstderr: ${result.stderr.trim()}`,
    );
  }
  return { pdfPath, pages: await pdfPages(pdfPath) };
}

/** Pages of a PDF: poppler's pdfinfo when it is there, else the page objects counted (LibreOffice writes them uncompressed). */
export async function pdfPages(pdfPath: string): Promise<number> {
  const info = await run('pdfinfo', [pdfPath], 30_000);
  const match = /^Pages:\s+(\d+)/m.exec(info.stdout);
  if (match?.[1] !== undefined) return Number(match[1]);
  return (readFileSync(pdfPath).toString('latin1').match(/\/Type\s*\/Page(?!s)\b/g) ?? []).length;
}

/** Renders each PDF page to a PNG with pdftoppm (for looking at the result); returns the PNG paths. */
export async function pdfToPngs(pdfPath: string, options: { outDir?: string; dpi?: number; timeoutMs?: number } = {}): Promise<string[]> {
  const outDir = options.outDir ?? join(os.tmpdir(), `revperf-png-${randomUUID()}`);
  mkdirSync(outDir, { recursive: true });
  const prefix = join(outDir, basename(pdfPath, '.pdf'));
  const result = await run('pdftoppm', ['-png', '-r', String(options.dpi ?? 60), pdfPath, prefix], options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const pngs = readdirSync(outDir)
    .filter((file) => file.startsWith(basename(prefix)) && file.endsWith('.png'))
    .sort()
    .map((file) => join(outDir, file));
  if (pngs.length === 0) throw new Error(`pdftoppm made no PNG of ${pdfPath}: ${result.stderr.trim()}`);
  return pngs;
}
