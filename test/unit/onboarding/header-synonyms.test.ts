import { describe, expect, it } from 'vitest';
import { guessFields, looksSpanish, synonymKey } from '../../../shared/domain/header-synonyms.js';

const columns = (headers: string[], kind: Parameters<typeof guessFields>[0] = 'deals') =>
  Object.fromEntries(Object.entries(guessFields(kind, headers).fields).map(([field, guess]) => [field, guess.header]));

describe('header synonyms', () => {
  it('ignores case, accents, `_`, `-` and camelCase', () => {
    expect(synonymKey('Fecha_de-Creación')).toBe(synonymKey('fecha de creacion'));
    expect(synonymKey('closeDate')).toBe('closedate');
    expect(synonymKey('\uFEFFSALES_AGENT')).toBe('salesagent');
  });

  it('maps English CRM-style headers, including snake_case datasets', () => {
    expect(columns(['opportunity_id', 'sales_agent', 'product', 'account', 'deal_stage', 'engage_date', 'close_date', 'close_value'])).toEqual({
      id: 'opportunity_id',
      owner: 'sales_agent',
      account: 'account',
      stage: 'deal_stage',
      createdDate: 'engage_date',
      closeDate: 'close_date',
      amount: 'close_value',
    });
  });

  it('maps a stage-change date column beside the stage and the last activity', () => {
    expect(columns(['Deal', 'Owner', 'Stage', 'Amount', 'Close Date', 'Last Activity', 'Last Stage Change Date'])).toMatchObject({
      stage: 'Stage',
      lastActivityDate: 'Last Activity',
      stageChangeDate: 'Last Stage Change Date',
    });
    expect(columns(['Deal', 'Owner', 'Stage', 'Amount', 'Close Date', 'Date entered current stage']).stageChangeDate).toBe('Date entered current stage');
    expect(columns(['Oportunidad', 'Comercial', 'Etapa', 'Importe', 'Fecha de cierre', 'Fecha de cambio de etapa']).stageChangeDate).toBe('Fecha de cambio de etapa');
  });

  it('maps Spanish headers', () => {
    const guess = guessFields('deals', ['Oportunidad', 'Cuenta', 'Comercial', 'Etapa', 'Importe', 'Moneda', 'Probabilidad (%)', 'Fecha de cierre', 'Fecha de creación', 'Notas']);
    expect(Object.fromEntries(Object.entries(guess.fields).map(([f, g]) => [f, g.header]))).toEqual({
      name: 'Oportunidad',
      account: 'Cuenta',
      owner: 'Comercial',
      stage: 'Etapa',
      amount: 'Importe',
      currency: 'Moneda',
      probability: 'Probabilidad (%)',
      closeDate: 'Fecha de cierre',
      createdDate: 'Fecha de creación',
    });
    expect(guess.fields.probability?.match).toBe('exact'); // '(%)' has no letters: the key is the plain word
    expect(guess.unused).toEqual(['Notas']);
    expect(looksSpanish(['Oportunidad', 'Cuenta', 'Comercial', 'Etapa', 'Importe', 'Fecha de cierre'])).toBe(true);
    expect(looksSpanish(['Deal', 'Owner', 'Stage', 'Amount', 'Close Date'])).toBe(false);
  });

  it('takes the plainer of two headers for one field and names the one it ignored', () => {
    for (const headers of [
      ['Deal', 'Owner', 'Stage', 'Amount (converted)', 'Amount', 'Close Date'],
      ['Deal', 'Owner', 'Stage', 'Amount', 'Amount (converted)', 'Close Date'],
    ]) {
      const guess = guessFields('deals', headers);
      expect(guess.fields.amount?.header).toBe('Amount');
      expect(guess.fields.amount?.match).toBe('exact');
      expect(guess.ignored).toEqual([{ field: 'amount', header: 'Amount (converted)', chosen: 'Amount' }]);
      expect(guess.unused).toEqual(['Amount (converted)']);
    }
  });

  it('prefers the more canonical synonym when two whole headers compete', () => {
    const guess = guessFields('deals', ['Valor', 'Importe', 'Nombre']);
    expect(guess.fields.amount?.header).toBe('Importe');
    expect(guess.ignored).toEqual([{ field: 'amount', header: 'Valor', chosen: 'Importe' }]);
  });

  it('takes a qualified header when it is the only one, and never one header for two fields', () => {
    const guess = guessFields('deals', ['Amount (converted)', 'Owner']);
    expect(guess.fields.amount).toMatchObject({ header: 'Amount (converted)', match: 'qualified' });
    expect(guess.ignored).toEqual([]);
    const people = guessFields('people', ['Nombre', 'Correo electrónico', 'Equipo', 'Responsable', 'Región']);
    expect(Object.fromEntries(Object.entries(people.fields).map(([f, g]) => [f, g.header]))).toEqual({
      name: 'Nombre',
      email: 'Correo electrónico',
      team: 'Equipo',
      manager: 'Responsable',
      region: 'Región',
    });
  });

  it('does not match a header that only contains a synonym among other words', () => {
    const guess = guessFields('deals', ['Created By', 'Owner Phone']);
    expect(guess.fields).toEqual({});
    expect(guess.unused).toEqual(['Created By', 'Owner Phone']);
  });
});
