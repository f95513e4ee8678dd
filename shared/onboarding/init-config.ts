// `revperf init`: a starter revperf.config.json from a folder of exports —
// presets where a file matches one, otherwise a mapping guessed from header
// words; the date order from the values; a stage rule for every stage no CRM
// standard knows, classified by its words; mail settings from the options.
// Every guess is listed for review; the config is validated by the one schema.
import { parseConfig, type RevperfConfig, type RevperfConfigInput, type StageRule } from '../config/schema.js';
import { classifyStageWords } from '../domain/stage-words.js';
import { explainStage } from '../ingest/stages.js';
import type { DateOrder } from '../ingest/values.js';
import { probeFile, type FileProbe } from './probe-file.js';
import type { DataFile } from './read-data-file.js';
import { DateOrderTally, dateOrderVerdict, decimalMarkUsed } from './value-evidence.js';

export interface InitOptions {
  files: readonly DataFile[];
  org: string;
  timeZone: string;
  fiscalYearStart?: number;
  currency?: string;
  mailDomain?: string;
  leaders: readonly string[];
}

export interface StageGuess {
  stage: string;
  deals: number;
  /** The rule written, or null for a CRM standard stage (no rule needed). */
  rule: StageRule | null;
  /** Why: the word that decided, the file's probability, or a doubt to review. */
  why: string;
  doubt: boolean;
}

export interface InitResult {
  /** What is written to the file. */
  document: RevperfConfigInput;
  /** The same, validated. */
  config: RevperfConfig;
  files: FileProbe[];
  stages: StageGuess[];
  /** The guesses a person should check besides the stage rules (each of which is one). */
  review: string[];
  /** Files init could not use (unreadable, or no header with the required fields). */
  problems: string[];
}

export async function guessConfig(options: InitOptions): Promise<InitResult> {
  const reportingHint = options.currency ?? 'USD';
  const files: FileProbe[] = [];
  for (const file of options.files) files.push(await probeFile(file, reportingHint));
  const review: string[] = [];
  const problems: string[] = [];
  for (const probe of files) {
    const name = `${probe.file.kind}/${probe.file.name}`;
    if (probe.unreadable !== null) problems.push(`${name}: ${probe.unreadable}`);
    else if (probe.reading === 'none') problems.push(`${name}: no header row with ${probe.missing.join(', ')} — add a mapping by hand`);
  }
  const usable = files.filter((probe) => probe.reading !== 'none');
  const spanish = usable.some((probe) => probe.spanish);

  const dateOrder = guessDateOrder(usable, spanish, review);
  const currency = guessCurrency(usable, options.currency, review);
  const stages = guessStages(usable);
  const mappings = guessMappings(usable, review);
  const mail = guessMail(usable, options, review);
  if (options.fiscalYearStart === undefined) review.push('fiscal.yearStartMonth is 1 (January): pass --fiscal-year-start MONTH if your fiscal year starts another month');

  const document: RevperfConfigInput = {
    org: { name: options.org, timeZone: options.timeZone, locale: spanish ? 'es' : 'en' },
    fiscal: { yearStartMonth: options.fiscalYearStart ?? 1 },
    currency: { reporting: currency },
    ingest: { dateOrder },
    stages: stages.flatMap((stage) => (stage.rule === null ? [] : [stage.rule])),
    mappings,
    mail,
  };
  return { document, config: parseConfig(document, 'the guessed config'), files, stages, review, problems };
}

function guessDateOrder(probes: readonly FileProbe[], spanish: boolean, review: string[]): DateOrder {
  const all = new DateOrderTally();
  for (const probe of probes) all.merge(probe.dates);
  const verdict = dateOrderVerdict(all.result());
  const fallback: DateOrder = spanish ? 'dmy' : 'mdy';
  switch (verdict.kind) {
    case 'proven': {
      const proof = probes.find((probe) => {
        const own = dateOrderVerdict(probe.dates.result());
        return own.kind === 'proven' && own.order === verdict.order;
      });
      const where = proof ? `${proof.file.kind}/${proof.file.name} line ${verdict.example.line}` : `line ${verdict.example.line}`;
      review.push(`ingest.dateOrder is ${verdict.order}: '${verdict.example.value}' (${where}) reads only ${verdict.order === 'dmy' ? 'day-first' : 'month-first'}`);
      return verdict.order;
    }
    case 'conflicting': {
      const { dayFirst, monthFirst } = all.result();
      const order: DateOrder = dayFirst.count >= monthFirst.count ? 'dmy' : 'mdy';
      review.push(
        `ingest.dateOrder is ${order}, but the files disagree: '${verdict.dayFirst.value}' is day-first and '${verdict.monthFirst.value}' month-first — one order per config`,
      );
      return order;
    }
    case 'ambiguous':
      review.push(`ingest.dateOrder is ${fallback}: every one of the ${verdict.count} slashed dates reads either way (${spanish ? 'Spanish headers: day-first' : 'the default'})`);
      return fallback;
    case 'none':
      return fallback;
  }
}

function guessCurrency(probes: readonly FileProbe[], given: string | undefined, review: string[]): string {
  const counts = new Map<string, number>();
  for (const probe of probes.filter((p) => p.file.kind === 'deals')) {
    for (const [code, rows] of [...probe.currencies, ...probe.amounts.namedCurrencies()]) counts.set(code, (counts.get(code) ?? 0) + rows);
  }
  const ranked = [...counts].sort((a, b) => b[1] - a[1]);
  const reporting = given ?? ranked[0]?.[0] ?? 'USD';
  if (given === undefined) {
    review.push(ranked.length > 0 ? `currency.reporting is ${reporting}: most deal amounts are in it (--currency to choose)` : `currency.reporting is USD: no amount names a currency (--currency to choose)`);
  }
  const uploadedRates = new Set(probes.filter((p) => p.file.kind === 'fx').flatMap((p) => [...p.currencies.keys()]));
  const others = ranked.map(([code]) => code).filter((code) => code !== reporting && !uploadedRates.has(code));
  if (others.length > 0) review.push(`deal amounts in ${others.join(', ')} need a rate to ${reporting}: add currency.rates or upload rates under fx/`);
  return reporting;
}

/** A rule for every stage no CRM standard knows, by its words; an open one takes the file's probability when every deal of the stage has the same. */
function guessStages(probes: readonly FileProbe[]): StageGuess[] {
  const seen = new Map<string, { text: string; rows: number; probabilities: Set<number> }>();
  // Where a status column says open/won/lost (Pipedrive), it decides: the stages need no rule.
  for (const probe of probes.filter((p) => !('status' in p.columns && p.statuses.values.size > 0))) {
    for (const [key, value] of probe.stages.values) {
      const entry = seen.get(key);
      if (entry === undefined) seen.set(key, { text: value.text, rows: value.rows, probabilities: new Set(value.probabilities) });
      else {
        entry.rows += value.rows;
        for (const probability of value.probabilities) entry.probabilities.add(probability);
      }
    }
  }
  return [...seen.values()]
    .sort((a, b) => b.rows - a.rows || a.text.localeCompare(b.text))
    .map(({ text, rows, probabilities }): StageGuess => {
      const standard = explainStage({ stage: text, pipeline: null, status: null, fileProbability: null }, { rules: [], defaultOpenProbability: 0.1 });
      if (standard.source === 'crm-standard' && standard.resolution.ok) {
        return { stage: text, deals: rows, rule: null, why: `CRM standard stage (${standard.resolution.stageClass}): no rule needed`, doubt: false };
      }
      const words = classifyStageWords(text);
      if (words.class !== 'open') return { stage: text, deals: rows, rule: { stage: text, class: words.class }, why: `the word '${words.word}'`, doubt: false };
      const [only] = probabilities;
      const probability = probabilities.size === 1 ? only : undefined;
      const why = [
        words.doubt ? `⚠ ${words.doubt}` : 'no won or lost word',
        probability !== undefined ? `the file's probability` : probabilities.size > 1 ? `each deal keeps the file's own probability` : 'no probability in the file (default 10%)',
      ].join('; ');
      return { stage: text, deals: rows, rule: { stage: text, class: 'open', ...(probability !== undefined ? { probability } : {}) }, why, doubt: words.doubt !== null };
    });
}

/** One mapping per distinct guessed header set (files with the same headers share it). */
function guessMappings(probes: readonly FileProbe[], review: string[]): RevperfConfigInput['mappings'] {
  const mappings: { kind: FileProbe['file']['kind']; name: string; columns: Record<string, string> }[] = [];
  for (const probe of probes) {
    if (probe.reading !== 'mapping') continue;
    const columns = probe.columns;
    const existing = mappings.find((m) => m.kind === probe.file.kind && JSON.stringify(m.columns) === JSON.stringify(columns));
    if (existing) {
      existing.name += `, ${probe.file.name}`;
      continue;
    }
    mappings.push({ kind: probe.file.kind, name: `${probe.file.kind}: ${probe.file.name}`, columns });
    const qualified = probe.guesses.filter((guess) => guess.match === 'qualified');
    for (const guess of qualified) review.push(`${probe.file.kind}/${probe.file.name}: ${guess.field} ← '${guess.header}' (read through its bracketed qualifier)`);
    for (const ignored of probe.ignored) {
      review.push(`${probe.file.kind}/${probe.file.name}: ${ignored.field} ← '${ignored.chosen}', ignoring '${ignored.header}' (the plainer header wins)`);
    }
  }
  return mappings;
}

function guessMail(probes: readonly FileProbe[], options: InitOptions, review: string[]): RevperfConfigInput['mail'] {
  const leaderDomains = options.leaders.map((leader) => leader.slice(leader.lastIndexOf('@') + 1).toLowerCase());
  const peopleDomains = new Map<string, number>();
  for (const probe of probes) for (const [domain, count] of probe.emailDomains) peopleDomains.set(domain, (peopleDomains.get(domain) ?? 0) + count);
  const fromPeople = [...peopleDomains].sort((a, b) => b[1] - a[1])[0]?.[0];
  const domain = options.mailDomain?.toLowerCase() ?? leaderDomains[0] ?? fromPeople ?? 'example.com';
  if (options.mailDomain === undefined) {
    review.push(
      leaderDomains[0] !== undefined
        ? `mail domain ${domain}: from --leader (pass --mail-domain to choose)`
        : fromPeople !== undefined
          ? `mail domain ${domain}: the people file's most common e-mail domain (pass --mail-domain to choose)`
          : `⚠ mail domain example.com is a placeholder: pass --mail-domain DOMAIN (nothing is ever mailed outside mail.allowedDomains)`,
    );
  }
  if (options.leaders.length === 0) review.push('mail.leadership is empty: pass --leader EMAIL for who gets the organisation report');
  const allowedDomains = [...new Set([domain, ...leaderDomains])];
  return { from: `revperf@${domain}`, allowedDomains, leadership: [...options.leaders] };
}

/** The decimal mark each file proves (not a setting: ingest learns it per file), for init's summary. */
export function decimalMarks(probes: readonly FileProbe[]): { file: string; mark: '.' | ',' | null }[] {
  return probes
    .filter((probe) => probe.amounts.result().amounts > 0)
    .map((probe) => ({ file: `${probe.file.kind}/${probe.file.name}`, mark: decimalMarkUsed(probe.amounts.result()) }));
}
