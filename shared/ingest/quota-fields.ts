// The fields of a quota row that need more than a plain parse: who the quota
// is for (a Level column, else the most specific of rep, team and region) and
// its fiscal period. Each problem becomes the row's own rejection.
import type { FiscalCalendar } from '../domain/fiscal-calendar.js';
import { normaliseName, type EntityLevel, type LocalDate } from '../domain/types.js';
import { fieldLabel, type RowFields } from './row-fields.js';
import { LEVELS } from './row-vocabulary.js';
import { cellText } from './values.js';

/** A person key from owner/rep/manager text: a lower-cased e-mail, else the normalised name. */
export function personKey(text: string): string {
  return text.includes('@') ? text.trim().toLowerCase() : normaliseName(text);
}

/** Level from a Level column, else the most specific of rep, team and region that is filled. */
export function readQuotaEntity(fields: RowFields): { level: EntityLevel; entityId: string; written: string } | undefined {
  let level: EntityLevel | undefined;
  if (!fields.blank('level')) {
    level = LEVELS[normaliseName(fields.text('level'))];
    if (level === undefined) {
      fields.reject('level', `level '${fields.text('level')}' is not rep, team, region or company`);
      return undefined;
    }
  } else {
    level = (['rep', 'team', 'region'] as const).find((candidate) => !fields.blank(candidate));
  }
  if (level === undefined) {
    fields.reject('level', 'no rep, team or region given (for a company quota, add a Level column saying company)', '');
    return undefined;
  }
  if (level === 'company') return { level, entityId: 'company', written: 'company' };
  const entityField = fields.blank('entity') ? level : 'entity';
  const entity = fields.text(entityField);
  if (entity === '') {
    fields.reject(entityField, `${fieldLabel(entityField)} is required for a ${level} quota`);
    return undefined;
  }
  return { level, entityId: level === 'rep' ? personKey(entity) : entity, written: entity };
}

/** The fiscal period a quota row names, with its first day (a quota in another currency converts at its rate). */
export function readQuotaPeriod(fields: RowFields, calendar: FiscalCalendar): { id: string; start: LocalDate } | undefined {
  const cell = fields.cell('period');
  // Excel turns "Apr 2026" into a date; it still means the month.
  const written = cell instanceof Date ? cellText(cell).slice(0, 7) : cellText(cell);
  if (written === '') {
    fields.reject('period', 'period is required');
    return undefined;
  }
  const period = calendar.parsePeriod(written);
  if (period === null) {
    fields.reject(
      'period',
      `period '${written}' is not a fiscal period (use FY2027-Q1, Q1 FY2027, FY2027, FY2027-M04 or a month such as 2026-04)`,
    );
    return undefined;
  }
  return { id: period.id, start: period.start };
}
