// The registry entry of the report reads benchmark (bench/reads.bench.ts),
// kept here so bench/run.ts stays a harness: goals, judge and its table.
import type { Benchmark, BenchmarkResult } from './benchmark-types.js';

/** Issue 12 goal 5: a report reads ≤ this × the bytes of the items it needs … */
const READS_MAX_RATIO = 1.5;
/** … and the same at four years of history as at one ("equal", within this). */
const READS_MAX_GROWTH = 1.05;
const YEARS = ['1y', '4y'] as const;
/** Bytes an eventually consistent read unit covers. */
const EVENTUAL_UNIT_BYTES = 8192;

const figure = (x: Record<string, number>, name: string, at: string) => x[`${name}${at}`] ?? 0;

export const READS_BENCHMARK: Benchmark = {
  name: 'reads',
  file: 'bench/reads.bench.ts',
  // Closed deals a year of history (open deals: 30% of that); the child measures both table sizes.
  sizes: [10_000],
  // Bytes, items and read units are exact counts, the same in every run; one run of each side is enough.
  measuredRuns: 1,
  warmUp: false,
  baseline: 'a full Scan of the same table (what a report would read without the month-keyed indexes), metered the same way',
  goal:
    "a quarter's report run (prepareReports as of 2026-11-16: metrics for the quarter and the week, their snapshots, the report data " +
    'with the four-quarter trend) on a table of one year and one of four years of history, loaded through the ingest, every DynamoDB read metered: ' +
    `bytes read ≤ ${READS_MAX_RATIO}× the bytes of the items it needs (computed from a Scan after the run, by the report's periods) at both sizes; ` +
    `bytes and read units at four years within ${READS_MAX_GROWTH}× of one year's; no strongly consistent read`,
  notesFile: 'bench/lib/reads-notes.md',
  profileOnMiss: false,
  judge(results) {
    return results.flatMap((r) => {
      const x = r.revperfExtra;
      const ratio = (at: string) => figure(x, 'readBytes', at) / figure(x, 'neededBytes', at);
      const growth = (name: string) => figure(x, name, '4y') / figure(x, name, '1y');
      return [
        {
          goal: `bytes read ≤ ${READS_MAX_RATIO}× the bytes of the items needed, at one and four years of history`,
          met: YEARS.every((at) => figure(x, 'neededBytes', at) > 0 && ratio(at) <= READS_MAX_RATIO),
          measured: YEARS.map((at) => `${ratio(at).toFixed(3)}× at ${at} (${figure(x, 'readBytes', at).toLocaleString('en-US')} of ${figure(x, 'neededBytes', at).toLocaleString('en-US')} bytes)`).join(', '),
        },
        {
          goal: `bytes and read units at four years within ${READS_MAX_GROWTH}× of one year's`,
          met: figure(x, 'readBytes', '1y') > 0 && growth('readBytes') <= READS_MAX_GROWTH && growth('readUnits') <= READS_MAX_GROWTH,
          measured:
            `bytes ${growth('readBytes').toFixed(3)}×, read units ${growth('readUnits').toFixed(3)}× (${figure(x, 'readUnits', '1y')} → ${figure(x, 'readUnits', '4y')}) ` +
            `while the table grew ${growth('tableBytes').toFixed(2)}×; the full Scan ${(figure(r.baselineExtra, 'readBytes', '4y') / figure(r.baselineExtra, 'readBytes', '1y')).toFixed(2)}×`,
        },
        {
          goal: 'eventually consistent reads only, every read metered',
          met: YEARS.every((at) => figure(x, 'readRequests', at) > 0 && figure(x, 'consistentRequests', at) === 0 && figure(x, 'unmeteredRequests', at) === 0),
          measured: YEARS.map((at) => `${figure(x, 'consistentRequests', at)} of ${figure(x, 'readRequests', at)} requests strongly consistent at ${at} (${figure(x, 'unmeteredRequests', at)} without ConsumedCapacity)`).join(', '),
        },
      ];
    });
  },
  extraMarkdown(result: BenchmarkResult) {
    const lines = [
      '| deals a year | history | side | requests | items read | bytes read | bytes needed | read ÷ needed | read units | needed ÷ 8 KB | strongly consistent | table items | table bytes |',
      '|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ];
    const n = (value: number) => Math.round(value).toLocaleString('en-US');
    for (const size of result.sizes) {
      const figures = result.extra?.[String(size)];
      if (!figures) continue;
      for (const at of YEARS) {
        for (const side of ['revperf', 'baseline'] as const) {
          const x = figures[side];
          const needed = figure(x, 'neededBytes', at);
          lines.push(
            `| ${n(size)} | ${at.replace('y', ' year(s)')} | ${side === 'revperf' ? 'report run' : 'full Scan'} | ${n(figure(x, 'readRequests', at))} | ${n(figure(x, 'readItems', at))} | ` +
              `${n(figure(x, 'readBytes', at))} | ${n(needed)} | ${(figure(x, 'readBytes', at) / needed).toFixed(3)}× | ${figure(x, 'readUnits', at)} | ` +
              `${(needed / EVENTUAL_UNIT_BYTES).toFixed(1)} | ${n(figure(x, 'consistentRequests', at))} | ${n(figure(x, 'tableItems', at))} | ${n(figure(x, 'tableBytes', at))} |`,
          );
        }
      }
    }
    return lines.join('\n');
  },
};
