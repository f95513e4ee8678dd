import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guessConfig } from '../../../shared/onboarding/init-config.js';
import type { DataFile } from '../../../shared/onboarding/read-data-file.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'revperf-init-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function dealsFile(name: string, lines: string[]): Promise<DataFile> {
  const path = join(dir, name);
  await writeFile(path, `${lines.join('\n')}\n`);
  return { kind: 'deals', path, name };
}

const options = { org: 'Acme', timeZone: 'America/New_York', leaders: ['cro@acme.com'] };

describe('guessConfig', () => {
  it('reads a lone status column of stage words as the stage, and keeps the plainer amount', async () => {
    const file = await dealsFile('crm.csv', [
      'Deal,Sales Rep,Status,Amount (converted),Amount,Close Date,Win %',
      'A,Pat Doe,Closed Won,"1,200.50","1,000.00",3/25/2026,100',
      'B,Pat Doe,Discovery,"500.00","450.00",4/2/2026,20',
      'C,Ann Lee,Closed Lost,"700.00","650.00",4/3/2026,0',
    ]);
    const result = await guessConfig({ ...options, files: [file] });
    expect(result.document.mappings).toEqual([
      { kind: 'deals', name: 'deals: crm.csv', columns: { name: 'Deal', owner: 'Sales Rep', stage: 'Status', amount: 'Amount', closeDate: 'Close Date' } },
    ]);
    expect(result.files[0]?.ignored).toEqual([{ field: 'amount', header: 'Amount (converted)', chosen: 'Amount' }]);
    expect(result.review).toContain("deals/crm.csv: amount ← 'Amount', ignoring 'Amount (converted)' (the plainer header wins)");
    // Closed Won / Closed Lost are Salesforce's own stages: no rule; Discovery is guessed open.
    expect(result.config.stages).toEqual([{ stage: 'Discovery', class: 'open' }]);
    expect(result.config.ingest.dateOrder).toBe('mdy');
    expect(result.config.org.locale).toBe('en');
    expect(result.config.mail).toMatchObject({ from: 'revperf@acme.com', allowedDomains: ['acme.com'], leadership: ['cro@acme.com'] });
  });

  it('keeps an open/won/lost status column as the status beside the stage, and leaves out one of other words', async () => {
    const plain = await dealsFile('plain.csv', ['Name,Owner,Stage,Status,Amount,Close Date', 'A,Pat,Propuesta,won,100,2026-03-01', 'B,Pat,Demo,open,100,2026-03-02']);
    const worded = await dealsFile('worded.csv', ['Nombre,Vendedor,Etapa,Estado,Importe,Fecha de cierre', 'A,Pat,Propuesta,Ganado,100,2026-03-01']);
    const result = await guessConfig({ ...options, files: [plain, worded] });
    const [first, second] = result.files;
    expect(first?.reading).toBe('generic');
    expect(second?.columns).toEqual({ name: 'Nombre', owner: 'Vendedor', stage: 'Etapa', amount: 'Importe', closeDate: 'Fecha de cierre' });
    expect(second?.notes).toEqual(["'Estado' is left unmapped: ingest reads a status as open, won or lost only, and it holds other words"]);
    // The status decides the plain file's stages; the worded file's stage needs a rule.
    expect(result.config.stages).toEqual([{ stage: 'Propuesta', class: 'open' }]);
  });

  it('reports a file without the required headers instead of guessing, and a placeholder mail domain for review', async () => {
    const file = await dealsFile('notes.csv', ['Comentario,Fecha', 'hola,2026-01-01']);
    const result = await guessConfig({ org: 'X', timeZone: 'UTC', leaders: [], files: [file] });
    expect(result.problems).toEqual(['deals/notes.csv: no header row with name, owner, stage or status, amount, closeDate or wonTime — add a mapping by hand']);
    expect(result.config.mail.allowedDomains).toEqual(['example.com']);
    expect(result.review.some((item) => item.includes('example.com is a placeholder'))).toBe(true);
  });
});

describe('guessConfig and a Status column of stage words beside a stage', () => {
  it('warns that ingest would still read a column named Status as the status', async () => {
    const file = await dealsFile('status.csv', ['Name,Owner,Stage,Status,Amount,Close Date', 'A,Pat,Demo,Closed Won,100,2026-03-01']);
    const result = await guessConfig({ ...options, files: [file] });
    expect(result.files[0]?.notes).toContain("⚠ ingest reads the column 'Status' as the status (open, won or lost) and would reject its rows: rename it in the export");
  });
});

describe('guessConfig and dates that read either way', () => {
  it('takes day-first for Spanish headers and marks it for review', async () => {
    const file = await dealsFile('ambiguas.csv', ['Nombre;Vendedor;Etapa;Importe;Fecha de cierre', 'A;Pat;Ganada;100;03/04/2026', 'B;Pat;Perdida;100;01/02/2026']);
    const result = await guessConfig({ ...options, files: [file] });
    expect(result.config.ingest.dateOrder).toBe('dmy');
    expect(result.config.org.locale).toBe('es');
    expect(result.review).toContain('ingest.dateOrder is dmy: every one of the 2 slashed dates reads either way (Spanish headers: day-first)');
    expect(result.config.stages).toEqual([
      { stage: 'Ganada', class: 'won' },
      { stage: 'Perdida', class: 'lost' },
    ]);
  });
});
