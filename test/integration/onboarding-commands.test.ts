// `revperf init` and `revperf inspect` end to end on a folder of realistic
// exports no preset knows (Spanish headers, `;`, day-first dates, decimal
// comma, "Cerrada ganada"), through the CLI's own entry point.
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../local/cli.js';
import { parseConfigText } from '../../shared/config/schema.js';
import { writeSpanishCrm } from '../fixtures/onboarding/spanish-crm.js';

let root: string;

/** Runs the CLI in process; returns its exit code and what it printed. */
async function revperf(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void out.push(args.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void err.push(args.join(' ')));
  try {
    const code = await main(argv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

const INIT_OPTIONS = ['--org', 'Iberia Soft', '--time-zone', 'Europe/Madrid', '--mail-domain', 'iberia-soft.es', '--leader', 'marta.gomez@iberia-soft.es'];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'revperf-onboarding-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('revperf init and inspect on exports no preset knows', () => {
  it('inspect without a config reads nothing as deals and asks for a decision', async () => {
    const dir = join(root, 'before-init');
    await writeSpanishCrm(dir);
    const { code, out } = await revperf('inspect', '--data', dir);
    expect(code).toBe(1);
    expect(out).toContain('no revperf.config.json');
    expect(out).toMatch(/deals\/ventas\.csv: required column\(s\) missing: name, owner/);
  });

  it('init writes a config that validates and with which inspect finds the data ready; it never overwrites without --force', async () => {
    const dir = join(root, 'spanish');
    await writeSpanishCrm(dir);
    const init = await revperf('init', '--data', dir, ...INIT_OPTIONS);
    expect(init.err).toBe('');
    expect(init.code).toBe(0);
    expect(init.out).toContain("ignored 'Importe (convertido)': amount took the plainer 'Importe'");
    expect(init.out).toContain('✓ ready: the data can be ingested as is');

    const path = join(dir, 'revperf.config.json');
    const text = await readFile(path, 'utf8');
    const config = parseConfigText(text, path);
    expect(config.org).toEqual({ name: 'Iberia Soft', timeZone: 'Europe/Madrid', locale: 'es' });
    expect(config.ingest.dateOrder).toBe('dmy');
    expect(config.currency.reporting).toBe('EUR');
    expect(config.mail).toMatchObject({ from: 'revperf@iberia-soft.es', allowedDomains: ['iberia-soft.es'], leadership: ['marta.gomez@iberia-soft.es'] });
    expect(config.stages).toEqual([
      { stage: 'Cerrada ganada', class: 'won' },
      { stage: 'Propuesta enviada', class: 'open', probability: 0.6 },
      { stage: 'Cerrada perdida', class: 'lost' },
      { stage: 'Negociación', class: 'open', probability: 0.8 },
    ]);
    const deals = config.mappings.find((mapping) => mapping.kind === 'deals');
    expect(deals?.columns).toMatchObject({ owner: 'Comercial', amount: 'Importe', closeDate: 'Fecha de cierre', stage: 'Etapa', createdDate: 'Fecha de creación' });
    expect(config.mappings.map((mapping) => mapping.kind).sort()).toEqual(['deals', 'people', 'quotas']);

    const inspect = await revperf('inspect', '--data', dir, '--json');
    expect(inspect.code).toBe(0);
    const report = JSON.parse(inspect.out) as {
      exitCode: number;
      files: { file: { kind: string }; counts: { accepted: number; rejected: number }; decimalMark: string | null; stages: { stage: string; source: string }[]; owners: { owner: string; match: { kind: string } }[]; quotaPeriods: { periodId: string; resolved: string[] }[] }[];
    };
    const dealsFile = report.files.find((file) => file.file.kind === 'deals')!;
    expect(dealsFile.counts).toMatchObject({ accepted: 6, rejected: 0 });
    expect(dealsFile.decimalMark).toBe(',');
    expect(new Set(dealsFile.stages.map((stage) => stage.source))).toEqual(new Set(['config-rule']));
    expect(dealsFile.owners.every((owner) => owner.match.kind === 'person')).toBe(true);
    expect(report.files.find((file) => file.file.kind === 'quotas')!.quotaPeriods).toEqual([
      { periodId: 'FY2026-Q4', rows: 2, resolved: ['rep Lucía Fernández', 'rep Javier Ruiz'], unresolved: [] },
    ]);

    const again = await revperf('init', '--data', dir, ...INIT_OPTIONS, '--org', 'Someone Else');
    expect(again.code).toBe(2);
    expect(again.err).toContain('exists: nothing written');
    expect(await readFile(path, 'utf8')).toBe(text);
    const forced = await revperf('init', '--data', dir, ...INIT_OPTIONS, '--org', 'Someone Else', '--force');
    expect(forced.code).toBe(0);
    expect(parseConfigText(await readFile(path, 'utf8')).org.name).toBe('Someone Else');
  });

  it('inspect exits 1 on an unknown stage and an owner the people file does not have, and says which', async () => {
    const dir = join(root, 'unknown');
    await writeSpanishCrm(dir);
    expect((await revperf('init', '--data', dir, ...INIT_OPTIONS)).code).toBe(0);
    await writeFile(
      join(dir, 'deals', 'ventas.csv'),
      `${await readFile(join(dir, 'deals', 'ventas.csv'), 'utf8')}OP-007;Consultoría Eta;Eta Hoteles;Pedro Sin Ficha;En pausa;2.000,00;2.000,00;EUR;;12/12/2026;01/11/2026;\r\n`,
    );
    const { code, out } = await revperf('inspect', '--data', dir);
    expect(code).toBe(1);
    expect(out).toMatch(/En pausa\s+1\s+open 10%\s+⚠ UNKNOWN → open/);
    expect(out).toContain("⚠ Pedro Sin Ficha (1): matches no one → Unassigned");
    expect(out).toContain("stage 'En pausa' (1 deal(s)) is unknown");
    expect(out).toContain("owner 'Pedro Sin Ficha' (1 deal(s)) matches no one in the people file");
  });

  it('inspect and init exit 2 when the data cannot be read', async () => {
    const dir = join(root, 'unreadable');
    await mkdir(join(dir, 'deals'), { recursive: true });
    await writeFile(join(dir, 'deals', 'export.csv'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]));
    const inspect = await revperf('inspect', '--data', dir);
    expect(inspect.code).toBe(2);
    expect(inspect.out).toContain('✗ deals/export.csv: the file is binary data');
    expect((await revperf('inspect', '--data', join(root, 'no-such-folder'))).code).toBe(2);
    const init = await revperf('init', '--data', join(root, 'empty-folder-that-does-not-exist'));
    expect(init.code).toBe(2);
  });

  it('init writes nothing when an option makes the config invalid', async () => {
    const dir = join(root, 'bad-option');
    await writeSpanishCrm(dir);
    const init = await revperf('init', '--data', dir, '--time-zone', 'Mars/Olympus_Mons');
    expect(init.code).toBe(2);
    expect(init.err).toContain('org.timeZone: must be an IANA time zone');
    await expect(readFile(join(dir, 'revperf.config.json'), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
