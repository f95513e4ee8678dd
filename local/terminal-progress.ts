// A progress line on stderr while `revperf run` / `npm start` work: the phase
// (ingest i/n, metrics, render & send i/n, write outputs) and, for a large
// upload, bytes read of the total and rows per second. Only when stderr is a
// terminal: in tests, CI logs and pipes nothing is written. One line, redrawn
// with `\r` and cleared before anything else is printed.
import type { IngestProgress } from '../shared/ingest/ingest-upload.js';
import type { TerminalLabels } from './terminal-labels.js';

/** Uploads at least this big get a bytes / rows-per-second line; smaller ones only the phase. */
export const LARGE_UPLOAD_BYTES = 1024 * 1024;
/** Redraws at most this often (ms), so a fast ingest is not slowed by the terminal. */
const REDRAW_MS = 100;

export type RunPhase = 'upload' | 'metrics' | 'reports' | 'write';

/** What runLocalPipeline tells as it goes (all optional). */
export interface RunMonitor {
  phase?(phase: RunPhase, detail?: { done: number; total: number; item?: string }): void;
  ingest?(progress: IngestProgress): void;
}

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

function size(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export class TerminalProgress implements RunMonitor {
  readonly enabled: boolean;
  private shown = false;
  private lastDraw = 0;
  private phaseText = '';
  private started = new Map<string, { at: number; pass: string }>();

  constructor(
    private readonly stream: ProgressStream,
    private readonly labels: TerminalLabels,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.enabled = stream.isTTY === true;
  }

  phase(phase: RunPhase, detail?: { done: number; total: number; item?: string }): void {
    if (!this.enabled) return;
    const counted = detail ? ` ${detail.done}/${detail.total}` : '';
    this.phaseText = `${this.labels.progress.phase[phase]}${counted}${detail?.item ? ` ${detail.item}` : ''}`;
    this.draw(this.phaseText, true);
  }

  ingest(progress: IngestProgress): void {
    if (!this.enabled || progress.totalBytes === null || progress.totalBytes < LARGE_UPLOAD_BYTES) return;
    const started = this.started.get(progress.key);
    if (!started || started.pass !== progress.pass) this.started.set(progress.key, { at: this.now(), pass: progress.pass });
    const seconds = (this.now() - (started?.pass === progress.pass ? started.at : this.now())) / 1000;
    const rate = seconds > 0 ? Math.round(progress.rowsRead / seconds) : 0;
    const percent = Math.min(100, Math.floor((progress.bytesRead / progress.totalBytes) * 100));
    const line =
      `${this.phaseText} · ${size(progress.bytesRead)} / ${size(progress.totalBytes)} (${percent}%)` +
      ` · ${new Intl.NumberFormat(this.labels.numberLocale).format(rate)} ${this.labels.progress.rowsPerSecond}`;
    this.draw(line, false);
  }

  /** Clears the line, so what is printed next starts at the left margin. */
  clear(): void {
    if (!this.enabled || !this.shown) return;
    this.stream.write('\r\x1b[K');
    this.shown = false;
  }

  private draw(line: string, force: boolean): void {
    const now = this.now();
    if (!force && now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    // A pseudo-terminal without a size reports 0 columns.
    const width = (this.stream.columns || 80) - 1;
    this.stream.write(`\r\x1b[K${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
    this.shown = true;
  }
}
