import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ConfigError, parseConfig, parseConfigText } from '../../../shared/config/schema.js';

const MINIMAL = {
  org: { name: 'Northwind Cloud', timeZone: 'America/New_York' },
  mail: { from: 'revperf@northwind.example', allowedDomains: ['northwind.example'] },
};

function problemsOf(value: unknown): readonly string[] {
  try {
    parseConfig(value);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the config to be refused');
}

describe('revperf.config.json schema', () => {
  it('fills safe defaults and keeps what was given', () => {
    const config = parseConfig(MINIMAL);
    expect(config.fiscal).toEqual({ yearStartMonth: 1, naming: 'end', weekStart: 'monday', holidays: [] });
    expect(config.metrics.coverageTarget).toBe(3);
    expect(config.metrics.rag).toEqual({ green: 1, amber: 0.8 });
    expect(config.ingest.mode).toBe('full');
    expect(config.ingest.allowMassRemoval).toBe(false);
    expect(config.mail.leadership).toEqual([]);
    expect(config.org.locale).toBe('en');
  });

  it('takes ingest.allowMassRemoval as a boolean only', () => {
    expect(parseConfig({ ...MINIMAL, ingest: { allowMassRemoval: true } }).ingest.allowMassRemoval).toBe(true);
    expect(problemsOf({ ...MINIMAL, ingest: { allowMassRemoval: 'yes' } })).toEqual([
      'ingest.allowMassRemoval: Invalid input: expected boolean, received string',
    ]);
  });

  it('has no default for the mail allowlist: a config without one is refused', () => {
    expect(problemsOf({ org: MINIMAL.org, mail: { from: 'revperf@northwind.example' } })).toEqual([
      'mail.allowedDomains: Invalid input: expected array, received undefined',
    ]);
  });

  it('names the field path and what is wrong for each problem', () => {
    const problems = problemsOf({
      org: { name: 'X', timeZone: 'Mars/Olympus_Mons' },
      fiscal: { yearStartMonth: 13, holidays: ['2026-02-30'] },
      metrics: { rag: { green: 0.8, amber: 0.9 } },
      schedule: { dailyAt: '25:00' },
      mail: { from: 'not-an-address', allowedDomains: ['Northwind.Example'], leadership: ['cfo@gmail.com'] },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'org.timeZone: must be an IANA time zone such as Europe/Madrid',
        'fiscal.yearStartMonth: Too big: expected number to be <=12',
        'metrics.rag.amber: amber must not be above green',
        'schedule.dailyAt: must be a time HH:MM (24h)',
        'mail.from: must be an e-mail address',
        'mail.allowedDomains.0: must be a lower-case domain such as example.com',
      ]),
    );
  });

  it('refuses leadership addresses outside the allowlist', () => {
    expect(problemsOf({ ...MINIMAL, mail: { ...MINIMAL.mail, leadership: ['cfo@gmail.com'] } })).toEqual([
      'mail.leadership.0: domain gmail.com is not in mail.allowedDomains',
    ]);
  });

  it('refuses leadership at a subdomain or a look-alike of an allowed domain, and accepts the allowed one in any case', () => {
    const leadership = ['cfo@sub.northwind.example', 'ceo@northwind.example.evil.com', 'vp@xnorthwind.example', 'coo@northwind.examples', 'CRO@Northwind.Example'];
    expect(problemsOf({ ...MINIMAL, mail: { ...MINIMAL.mail, leadership } })).toEqual([
      'mail.leadership.0: domain sub.northwind.example is not in mail.allowedDomains',
      'mail.leadership.1: domain northwind.example.evil.com is not in mail.allowedDomains',
      'mail.leadership.2: domain xnorthwind.example is not in mail.allowedDomains',
      'mail.leadership.3: domain northwind.examples is not in mail.allowedDomains',
    ]);
  });

  it('refuses a leadership entry that is not a single plain address (a second recipient or a header smuggled in)', () => {
    for (const entry of ['cfo@northwind.example, evil@outside.example', 'cfo@northwind.example\r\nBcc: evil@outside.example', '"CFO" <evil@outside.example>', 'evil@outside.example@northwind.example']) {
      expect(problemsOf({ ...MINIMAL, mail: { ...MINIMAL.mail, leadership: [entry] } }).length, JSON.stringify(entry)).toBeGreaterThan(0);
    }
  });

  it('refuses an impossible holiday date', () => {
    expect(problemsOf({ ...MINIMAL, fiscal: { holidays: ['2026-02-30'] } })).toEqual(['fiscal.holidays.0: must be a real date YYYY-MM-DD']);
  });

  it('reports JSON syntax errors with the file name', () => {
    expect(() => parseConfigText('{ "org": ', 'my.config.json')).toThrow(/my\.config\.json is not a valid revperf config:\n {2}- \(root\): not valid JSON/);
  });

  it('accepts the documented example config', () => {
    const example = readFileSync(new URL('../../../revperf.config.example.json', import.meta.url), 'utf-8');
    expect(parseConfigText(example).org.name).toBeTruthy();
  });
});
