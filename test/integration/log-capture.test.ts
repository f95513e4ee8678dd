// What the Lambda handlers and use cases log during a full local run — the
// sample organisation ingested, the metrics, every scorecard and pack
// rendered and mailed through the embedded SES — captured at DEBUG (the most
// the logger can print; the deployed functions log at INFO, LOG_LEVEL in
// infra/constructs/revperf-function.ts) and searched for every deal amount of
// the input, in every format it could take, and every e-mail address of the
// people file and the config. Nothing below ERROR may carry one. (An ERROR
// line may name the recipient whose send failed: the operator's
// `revperf resend --to` needs it. Amounts never.)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runLocalPipeline, type LocalRunResult } from '../../local/local-run.js';
import { generateSampleOrg, writeSampleUploads, type SampleOrg } from '../../local/sample-org/index.js';
import { parseConfig } from '../../shared/config/schema.js';

const AS_OF = '2026-11-16';

interface LogLine {
  level: string;
  text: string;
}

/** Every line written to stdout / stderr or through the console while `run` runs (nothing is passed on). */
async function captureLogs<T>(run: () => Promise<T>): Promise<{ result: T; lines: LogLine[] }> {
  const chunks: string[] = [];
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  const capture = ((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = capture;
  process.stderr.write = capture;
  const spies = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) =>
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      chunks.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ') + '\n');
    }),
  );
  try {
    const result = await run();
    return { result, lines: chunks.join('').split('\n').filter((line) => line.trim() !== '').map(levelled) };
  } finally {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
    for (const spy of spies) spy.mockRestore();
  }
}

/** A line with the level powertools gave it; anything that is not a structured log line counts as below ERROR. */
function levelled(text: string): LogLine {
  try {
    const parsed = JSON.parse(text) as { level?: unknown };
    return { level: typeof parsed.level === 'string' ? parsed.level : 'UNSTRUCTURED', text };
  } catch {
    return { level: 'UNSTRUCTURED', text };
  }
}

const BELOW_ERROR = (line: LogLine) => line.level !== 'ERROR' && line.level !== 'CRITICAL';

/**
 * How an amount in minor units could be written: raw minor units, decimal, with thousands separators
 * (English and European), and — for currencies without cents (JPY) or a whole amount — as whole units.
 * A bare whole number shorter than 5 digits is left out: counts, years and times in every line are
 * such numbers, and a 4-digit figure in a log is no deal amount revealed.
 */
function amountSpellings(minor: number): string[] {
  const spellings = new Set<string>();
  const bare = (text: string) => {
    if (text.length >= 5) spellings.add(text);
  };
  const grouped = (whole: number, separator: string) => String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, separator);
  const value = Math.abs(minor);
  const whole = Math.trunc(value / 100);
  const cents = String(value % 100).padStart(2, '0');
  bare(String(value));
  spellings.add(`${whole}.${cents}`);
  spellings.add(`${grouped(whole, ',')}.${cents}`);
  spellings.add(`${grouped(whole, '.')},${cents}`);
  for (const units of value % 100 === 0 ? [whole, value] : [value]) {
    bare(String(units));
    if (units >= 1_000) {
      spellings.add(grouped(units, ','));
      spellings.add(grouped(units, '.'));
      spellings.add(grouped(units, ' '));
      spellings.add(grouped(units, '\u00a0'));
    }
  }
  return [...spellings];
}

/** The numbers written in a text: digit runs with their separators, and each piece between separators. */
function numbersIn(text: string): Set<string> {
  const numbers = new Set<string>();
  for (const match of text.matchAll(/(?<![0-9A-Za-z])[0-9](?:[0-9.,\u00a0 ]*[0-9])?(?![0-9A-Za-z])/g)) {
    numbers.add(match[0]);
    for (const piece of match[0].split(/[.,\u00a0 ]/)) numbers.add(piece);
    for (const piece of match[0].split(/[,\u00a0 ]/)) numbers.add(piece);
  }
  return numbers;
}

interface Sensitive {
  amounts: Map<string, string>;
  emails: string[];
}

function sensitiveValuesOf(org: SampleOrg): Sensitive {
  const amounts = new Map<string, string>();
  for (const deal of org.deals) {
    for (const minor of [deal.amount, deal.originalAmount]) {
      for (const spelling of amountSpellings(minor)) amounts.set(spelling, `deal ${deal.id} amount ${minor} (minor units)`);
    }
  }
  const config = parseConfig(org.config);
  const emails = [
    ...org.people.map((person) => person.email).filter((email): email is string => email !== null),
    ...config.mail.leadership,
    config.mail.from,
  ].map((email) => email.toLowerCase());
  return { amounts, emails: [...new Set(emails)] };
}

/** Every deal amount or e-mail address a line carries. */
function leaksIn(lines: readonly LogLine[], sensitive: Sensitive): string[] {
  const found: string[] = [];
  for (const line of lines) {
    for (const number of numbersIn(line.text)) {
      const amount = sensitive.amounts.get(number);
      if (amount !== undefined) found.push(`${line.level}: '${number}' (${amount}) in ${line.text.slice(0, 300)}`);
    }
    const lower = line.text.toLowerCase();
    for (const email of sensitive.emails) if (lower.includes(email)) found.push(`${line.level}: ${email} in ${line.text.slice(0, 300)}`);
  }
  return found;
}

describe('logs of a full local run', () => {
  let work: string;
  let org: SampleOrg;
  let sensitive: Sensitive;
  let run: { result: LocalRunResult; lines: LogLine[] };
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'revperf-logs-'));
    org = generateSampleOrg({ asOf: AS_OF, dealsScale: 0.25 });
    // One manager with an address outside mail.allowedDomains: refused as a recipient, which is logged.
    const manager = org.people.find((person) => person.role === 'manager' && !person.team.endsWith('Leadership') && person.email !== null)!;
    manager.email = manager.email!.replace(/@.*$/, '@northwind-partners.example');
    await writeSampleUploads(org, join(work, 'data'));
    sensitive = sensitiveValuesOf(org);
    const logger = new Logger({ serviceName: 'revperf', logLevel: 'DEBUG' });
    run = await captureLogs(() =>
      runLocalPipeline({ dataDir: join(work, 'data'), config: parseConfig(org.config), outDir: join(work, 'out'), asOf: AS_OF, logger }),
    );
  }, 1_200_000);
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('captured the run: a line for every upload ingested (naming its file) and every report delivered', () => {
    const { result, lines } = run;
    expect(result.uploads.length).toBeGreaterThanOrEqual(5);
    expect(result.deliveries.length).toBeGreaterThan(10);
    const messages = lines.map((line) => JSON.parse(line.text) as { level: string; message: string; key?: string });
    for (const upload of result.uploads) {
      expect(messages.filter((line) => line.message === 'ingested' && line.key === upload)).toHaveLength(1);
    }
    expect(messages.filter((line) => line.message === 'report delivered')).toHaveLength(result.deliveries.length);
    // The outside manager was refused, and said so at WARN; every other mail went out: nothing to log at ERROR.
    expect(result.deliveries.some((delivery) => delivery.refused.some((refused) => refused.address.endsWith('@northwind-partners.example')))).toBe(true);
    expect(messages.filter((line) => line.message === 'recipient refused').length).toBeGreaterThan(0);
    expect(lines.filter((line) => !BELOW_ERROR(line))).toEqual([]);
  });

  it('the search finds an amount in each of its spellings, and an address, when a line does carry one', () => {
    const deal = org.deals.find((candidate) => candidate.amount >= 1_000_000 && candidate.amount % 100 !== 0) ?? org.deals[0]!;
    const person = org.people.find((candidate) => candidate.email !== null)!;
    const planted = (value: unknown) => [{ level: 'INFO', text: JSON.stringify({ level: 'INFO', message: 'planted', value }) }];
    for (const spelling of amountSpellings(deal.amount)) {
      expect(leaksIn(planted(spelling), sensitive), spelling).not.toEqual([]);
      expect(leaksIn(planted(`${deal.currency} ${spelling}`), sensitive), spelling).not.toEqual([]);
    }
    expect(leaksIn(planted(deal.amount), sensitive)).not.toEqual([]);
    expect(leaksIn(planted({ counts: [deal.amount, 3] }), sensitive)).not.toEqual([]);
    expect(leaksIn(planted(person.email!.toUpperCase()), sensitive)).not.toEqual([]);
    // And not where a line has only counts, dates and times.
    expect(leaksIn(planted({ read: 254, at: '2026-11-16T09:30:00.123Z', elapsedMs: 4021 }), sensitive)).toEqual([]);
  });

  it('logs no deal amount and no e-mail address below ERROR (DEBUG, INFO, WARN or unstructured)', () => {
    expect(sensitive.amounts.size).toBeGreaterThan(1_000);
    expect(sensitive.emails.length).toBeGreaterThan(50);
    expect(leaksIn(run.lines.filter(BELOW_ERROR), sensitive)).toEqual([]);
  });
});
