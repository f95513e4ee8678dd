// What `revperf run` ends with: the verdict first — the config and each upload with its preset, then what needs
// attention with its fix — in the config's locale; and no progress line when stderr is not a terminal.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runLocalPipeline, type LocalRunResult } from '../../local/local-run.js';
import { main, printRunSummary } from '../../local/cli.js';
import { parseConfig } from '../../shared/config/schema.js';
import type { IngestProgress } from '../../shared/ingest/ingest-upload.js';
import { TEST_CONFIG } from './harness.js';

const HEADER = 'Opportunity ID,Opportunity Name,Account Name,Opportunity Owner,Stage,Amount,Opportunity Currency,Close Date,Created Date';
const DEALS = [
  HEADER,
  'E1,Win,Contoso,Chloé Martin,Closed Won,"$20,000.00",USD,11/03/2026,09/01/2026',
  'E2,Open,Contoso,Bob Stranger,Negotiation/Review,"$7,000.00",USD,12/03/2026,09/01/2026',
  'E3,Verbal,Fabrikam,Ana García,Verbal Yes,"$5,000.00",USD,12/10/2026,09/15/2026',
];
const PEOPLE = ['Name,Email,Team,Region,Role', 'Ana García,ana.garcia@northwind.example,Enterprise,Americas,rep', 'Chloé Martin,chloe.martin@northwind.example,EMEA Core,EMEA,rep'];

describe('the verdict of revperf run', () => {
  let work: string;
  let data: string;
  let configPath: string;
  let result: LocalRunResult;
  const phases: string[] = [];
  const ingested: IngestProgress[] = [];
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'revperf-verdict-'));
    data = join(work, 'data');
    await mkdir(join(data, 'deals'), { recursive: true });
    await mkdir(join(data, 'people'), { recursive: true });
    await writeFile(join(data, 'deals', 'opportunities.csv'), DEALS.join('\n'));
    await writeFile(join(data, 'people', 'people.csv'), PEOPLE.join('\n'));
    configPath = join(data, 'revperf.config.json');
    await writeFile(configPath, JSON.stringify({ ...TEST_CONFIG, org: { ...TEST_CONFIG.org, locale: 'es' } }));
    result = await runLocalPipeline({
      dataDir: data,
      config: parseConfig(TEST_CONFIG),
      outDir: join(work, 'out'),
      asOf: '2026-11-16',
      monitor: {
        phase: (phase, detail) => phases.push(`${phase}${detail ? ` ${detail.done}/${detail.total}` : ''}`),
        ingest: (progress) => ingested.push(progress),
      },
    });
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  const summary = (locale: 'en' | 'es') => {
    const lines: string[] = [];
    printRunSummary(result, { outDir: join(work, 'out'), configPath, dataDir: data, locale }, (line) => lines.push(line));
    return lines.join('\n');
  };

  it('in English: what was used, then the unknown stage and the unmatched owner with their fixes, before the details', () => {
    const text = summary('en');
    const verdict = text.slice(0, text.indexOf('── Details ──'));
    expect(text.indexOf('Verdict')).toBeLessThan(text.indexOf('── Details ──'));
    expect(text.indexOf('── Details ──')).toBeLessThan(text.indexOf('Outputs in'));
    expect(verdict).toContain(`config        ${configPath}`);
    expect(verdict).toMatch(/✓ uploads\/people\/people\.csv\s+\[generic\] 2 rows read, 2 accepted/);
    expect(verdict).toMatch(/✓ uploads\/deals\/opportunities\.csv\s+\[salesforce\] 3 rows read, 3 accepted/);
    expect(verdict).toContain('Needs attention (2):');
    expect(verdict).toContain("⚠ 1 unknown stage(s), counted as open pipeline: 'Verbal Yes' (1 deal(s))");
    expect(verdict).toContain(`→ classify each with a rule in \`stages\` of ${configPath}`);
    expect(verdict).toContain("⚠ 1 deal owner(s) match no one in the people file (their deals count under Unassigned): 'Bob Stranger' (1 deal(s))");
    expect(verdict).toContain('→ add them to the people file (people/), or fix the owner in the CRM');
    expect(verdict).toContain(`→ check: revperf inspect --data ${data}`);
  });

  it('in Spanish with org.locale es', () => {
    const text = summary('es');
    const verdict = text.slice(0, text.indexOf('── Detalles ──'));
    expect(verdict).toContain('Veredicto');
    expect(verdict).toContain(`configuración ${configPath}`);
    expect(verdict).toContain('Requiere atención (2):');
    expect(verdict).toContain("⚠ 1 etapa(s) desconocida(s), contadas como pipeline abierto: 'Verbal Yes' (1 oportunidad(es))");
    expect(verdict).toContain(`→ clasifique cada una con una regla en \`stages\` de ${configPath}`);
    expect(verdict).toContain("'Bob Stranger' (1 oportunidad(es))");
    expect(verdict).toContain('→ añádalos al archivo de personas (people/) o corrija el propietario en el CRM');
    expect(verdict).toContain(`→ revise: revperf inspect --data ${data}`);
    expect(text).toContain('Resultados en');
    expect(text).toMatch(/│ Comercial\s+│ Equipo\s+│/);
    expect(text).toMatch(/Correo \(SES integrado\) a \d+ destinatario\(s\):|Ningún correo/);
    expect(text).not.toContain('E-mail (embedded SES)');
  });

  it('tells a monitor each phase and how far ingest has read each upload', () => {
    const jobs = phases.filter((phase) => phase.startsWith('reports')).length;
    expect(jobs).toBeGreaterThan(0);
    expect(phases).toEqual(['upload 1/2', 'upload 2/2', 'metrics', ...Array.from({ length: jobs }, (_, n) => `reports ${n + 1}/${jobs}`), 'write']);
    const deals = ingested.filter((progress) => progress.key === 'uploads/deals/opportunities.csv');
    expect(deals.length).toBeGreaterThan(0);
    // A full export is read once to check what it would remove (here it stops at the header: the folder is new), then loaded.
    expect(new Set(deals.map((progress) => `${progress.pass} ${progress.totalBytes}`))).toEqual(
      new Set([`check ${Buffer.byteLength(DEALS.join('\n'))}`, `load ${Buffer.byteLength(DEALS.join('\n'))}`]),
    );
    expect(deals.at(-1)!.bytesRead).toBeGreaterThan(0);
  });

  it('says nothing needs attention when nothing does', () => {
    const clean = { ...result, ingestReports: result.ingestReports.map((report) => ({ ...report, findings: [] })), metrics: [], deliveries: [] };
    const lines: string[] = [];
    printRunSummary(clean, { outDir: join(work, 'out'), configPath, dataDir: data, locale: 'en' }, (line) => lines.push(line));
    expect(lines.join('\n')).toContain('✓ nothing needs attention');
  });

  it('revperf run prints in the config locale and writes no progress when stderr is not a terminal', async () => {
    const tty = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true });
    const logged: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logged.push(args.join(' ')));
    const stderr = vi.spyOn(process.stderr, 'write');
    try {
      const code = await main(['run', '--data', data, '--as-of', '2026-11-16', '--out', join(work, 'out-cli'), '--all-reps']);
      expect(code).toBe(0);
      expect(stderr).not.toHaveBeenCalled();
      expect(logged.join('\n')).toContain('Veredicto');
      expect(logged.join('\n')).toContain("'Verbal Yes'");
    } finally {
      log.mockRestore();
      stderr.mockRestore();
      if (tty) Object.defineProperty(process.stderr, 'isTTY', tty);
      else delete (process.stderr as { isTTY?: boolean }).isTTY;
    }
  });
});
