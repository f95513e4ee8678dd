// The progress line is for a person at a terminal: nothing is written when stderr is not a TTY (tests, CI, pipes).
import { describe, expect, it } from 'vitest';
import { LARGE_UPLOAD_BYTES, TerminalProgress } from '../../../local/terminal-progress.js';
import { terminalLabels } from '../../../local/terminal-labels.js';

function stream(isTTY: boolean | undefined) {
  const written: string[] = [];
  return { written, isTTY, columns: 120, write: (text: string) => written.push(text) };
}

function drive(progress: TerminalProgress, clock: { now: number }) {
  progress.phase('upload', { done: 1, total: 2, item: 'deals/big.csv' });
  for (let step = 0; step <= 4; step += 1) {
    if (step > 0) clock.now += 1000;
    progress.ingest({ key: 'uploads/deals/big.csv', pass: 'load', bytesRead: step * LARGE_UPLOAD_BYTES, totalBytes: 4 * LARGE_UPLOAD_BYTES, rowsRead: step * 5000 });
  }
  progress.phase('metrics');
  progress.phase('reports', { done: 3, total: 10 });
  progress.clear();
}

describe('the terminal progress line', () => {
  it('writes nothing when the stream is not a TTY', () => {
    for (const isTTY of [false, undefined]) {
      const out = stream(isTTY);
      const clock = { now: 0 };
      const progress = new TerminalProgress(out, terminalLabels('en'), () => clock.now);
      drive(progress, clock);
      expect(progress.enabled).toBe(false);
      expect(out.written).toEqual([]);
    }
  });

  it('on a TTY redraws one line per phase and, for a large upload, bytes of the total and rows/s, then clears it', () => {
    const out = stream(true);
    const clock = { now: 0 };
    drive(new TerminalProgress(out, terminalLabels('en'), () => clock.now), clock);
    const text = out.written.join('');
    expect(text).toContain('\r\x1b[Kingest 1/2 deals/big.csv');
    expect(text).toContain('2.0 MB / 4.0 MB (50%)');
    expect(text).toContain('4.0 MB / 4.0 MB (100%) · 5,000 rows/s');
    expect(text).toContain('\r\x1b[Kmetrics');
    expect(text).toContain('\r\x1b[Krender & send 3/10');
    expect(out.written.at(-1)).toBe('\r\x1b[K');
    expect(text).not.toContain('\n');
  });

  it('draws in 80 columns when the terminal gives no size', () => {
    const out = { ...stream(true), columns: 0 };
    new TerminalProgress(out, terminalLabels('en'), () => 0).phase('upload', { done: 1, total: 1, item: 'deals/opportunities.csv' });
    expect(out.written).toEqual(['\r\x1b[Kingest 1/1 deals/opportunities.csv']);
  });

  it('shows no bytes line for a small upload', () => {
    const out = stream(true);
    const progress = new TerminalProgress(out, terminalLabels('es'), () => 0);
    progress.ingest({ key: 'uploads/deals/small.csv', pass: 'load', bytesRead: 10, totalBytes: 100, rowsRead: 1 });
    expect(out.written).toEqual([]);
  });
});
