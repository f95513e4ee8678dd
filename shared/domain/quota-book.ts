// Quotas as uploaded → the quota of each entity of the org for a period.
//
// Resolution: a quota names its entity as the file writes it. A rep's quota
// resolves to a person exactly like a deal owner does (person id, e-mail or
// name, ignoring case, accents and spacing); a team's or region's to the
// people file's team or region the same way. A name two people share resolves
// to no one (crediting either would be a guess), and says so.
//
// Roll-up — an entity's own figures first, then its members':
// 1. its own uploaded figure for the period;
// 2. its own finer figures: a quarter = the sum of its own monthly quotas; a
//    year = the sum of its own quarters (each an uploaded quarter or its months);
// 3. a team, region or the company: the sum of its members' quotas, each
//    resolved by these rules.
// Weeks and months use only rules 1 and 3 (a weekly quota is rarely uploaded,
// so a week's quota is usually n/a). A sum over nothing uploaded is null, not 0;
// a sum over some members counts those who have a quota. Two rows for the same
// entity and period (by name and by e-mail, say): the one written by e-mail
// applies, else the first in the table's order; the other is named.
//
// Every row remembers whether some reported figure used it, so the
// reconciliation can name each row that counted for no one, and why.
import type { EntityRef } from './entity-figures.js';
import type { FiscalCalendar } from './fiscal-calendar.js';
import type { OrgChart } from './org-chart.js';
import { UnusedRowsBook, type KindReconciliation } from './reconciliation.js';
import type { EntityLevel, FiscalPeriod, MinorUnits, Quota } from './types.js';

interface QuotaRow {
  quota: Quota;
  used: boolean;
}

export type QuotaResolution = { ok: true; id: string } | { ok: false; code: string; reason: string };

export class QuotaBook {
  private readonly rows: QuotaRow[];
  /** level / entity id / period → the row that applies. */
  private readonly uploaded = new Map<string, QuotaRow>();
  private readonly unresolved = new Map<QuotaRow, { code: string; reason: string }>();
  private readonly superseded = new Map<QuotaRow, QuotaRow>();
  private readonly resolved = new Map<string, MinorUnits | null>();
  private membersOf: (level: EntityLevel, id: string) => readonly EntityRef[] = () => [];
  /** Calendar arithmetic is slow next to a map lookup, and every entity asks for the same few periods. */
  private readonly partsOf = new Map<string, FiscalPeriod[]>();

  constructor(
    quotas: readonly Quota[],
    private readonly org: OrgChart,
    private readonly calendar: FiscalCalendar,
  ) {
    this.rows = quotas.map((quota) => ({ quota, used: false }));
    for (const row of this.rows) {
      const resolution = resolveQuotaEntity(row.quota, this.org);
      if (!resolution.ok) {
        this.unresolved.set(row, resolution);
        continue;
      }
      const key = quotaKey(row.quota.level, resolution.id, row.quota.periodId);
      const earlier = this.uploaded.get(key);
      if (earlier && !(isEmailKeyed(row.quota) && !isEmailKeyed(earlier.quota))) {
        this.superseded.set(row, earlier);
        continue;
      }
      if (earlier) this.superseded.set(earlier, row);
      this.uploaded.set(key, row);
    }
  }

  /** The person ids with an uploaded rep quota (own or monthly parts) for the period: they are listed as reps. */
  repsWithQuota(period: FiscalPeriod): Set<string> {
    const periodIds = new Set([period.id]);
    if (period.kind === 'quarter' || period.kind === 'year') for (const part of this.parts(period)) periodIds.add(part.id);
    if (period.kind === 'year') for (const quarter of this.parts(period)) for (const month of this.parts(quarter)) periodIds.add(month.id);
    const reps = new Set<string>();
    for (const key of this.uploaded.keys()) {
      const [level, id, periodId] = key.split('\u0000') as [string, string, string];
      if (level === 'rep' && periodIds.has(periodId)) reps.add(id);
    }
    return reps;
  }

  /** Who the roll-up (rule 3) sums: set once the reporting structure is known. */
  setMembers(membersOf: (level: EntityLevel, id: string) => readonly EntityRef[]): void {
    this.membersOf = membersOf;
  }

  resolve(level: EntityLevel, id: string, period: FiscalPeriod): MinorUnits | null {
    const key = quotaKey(level, id, period.id);
    if (this.resolved.has(key)) return this.resolved.get(key)!;
    const quota =
      this.own(level, id, period) ??
      (level === 'rep' ? null : sumOrNull(this.membersOf(level, id).map((m) => this.resolve(m.level, m.id, period))));
    this.resolved.set(key, quota);
    return quota;
  }

  /** Every row read, used or named with why not. Call after the figures are resolved. */
  reconciliation(): KindReconciliation {
    const book = new UnusedRowsBook();
    for (const row of this.rows) {
      if (row.used) continue;
      const { quota } = row;
      const written = quota.written ?? quota.entityId;
      const example = `${written} · ${quota.periodId}`;
      const problem = this.unresolved.get(row);
      if (problem) {
        book.add(problem.code, problem.reason, example);
        continue;
      }
      const applying = this.superseded.get(row);
      if (applying) {
        book.add(
          'quota-duplicate',
          `another quota row for the same ${quota.level} and period applies (written '${applying.quota.written ?? applying.quota.entityId}'): ` +
            `remove one of the two from the quota file`,
          example,
        );
        continue;
      }
      book.add(
        'quota-not-needed',
        `no figure of this report uses it: the ${quota.level} is not listed in this period ` +
          `(nobody in the team, or the person is not an active rep and has no deals), or the period has its own quota`,
        example,
      );
    }
    return book.reconcile('quotas', this.rows.length);
  }

  private own(level: EntityLevel, id: string, period: FiscalPeriod): MinorUnits | null {
    const row = this.uploaded.get(quotaKey(level, id, period.id));
    if (row !== undefined) {
      row.used = true;
      return row.quota.amount;
    }
    if (period.kind !== 'quarter' && period.kind !== 'year') return null;
    return sumOrNull(this.parts(period).map((part) => this.own(level, id, part)));
  }

  /** A quarter's months, a year's quarters. */
  private parts(period: FiscalPeriod): FiscalPeriod[] {
    let parts = this.partsOf.get(period.id);
    if (!parts) {
      parts = this.calendar.children(period, period.kind === 'year' ? 'quarter' : 'month');
      this.partsOf.set(period.id, parts);
    }
    return parts;
  }
}

/** Who a quota row is for in the people file (see the header), or why no one. */
export function resolveQuotaEntity(quota: Quota, org: OrgChart): QuotaResolution {
  const written = quota.written ?? quota.entityId;
  switch (quota.level) {
    case 'company':
      return { ok: true, id: 'company' };
    case 'team': {
      const team = org.resolveTeam(quota.entityId);
      return team !== null
        ? { ok: true, id: team }
        : { ok: false, code: 'quota-team-unknown', reason: `team '${written}' is not a team of the people file` };
    }
    case 'region': {
      const region = org.resolveRegion(quota.entityId);
      return region !== null
        ? { ok: true, id: region }
        : { ok: false, code: 'quota-region-unknown', reason: `region '${written}' is not a region of the people file` };
    }
    case 'rep': {
      const match = org.match(quota.entityId);
      if (match.kind === 'person') return { ok: true, id: match.person.id };
      if (match.kind === 'ambiguous') {
        const who = match.people.map((person) => person.email ?? person.name).sort().join(', ');
        return {
          ok: false,
          code: 'quota-person-ambiguous',
          reason: `'${written}' names ${match.people.length} people in the people file (${who}): applied to neither — write the quota by e-mail`,
        };
      }
      return {
        ok: false,
        code: 'quota-person-unknown',
        reason: `'${written}' matches no one in the people file (by name or e-mail): add the person or fix the quota file`,
      };
    }
  }
}

function isEmailKeyed(quota: Quota): boolean {
  return quota.level === 'rep' && quota.entityId.includes('@');
}

function quotaKey(level: EntityLevel, id: string, periodId: string): string {
  return `${level}\u0000${id}\u0000${periodId}`;
}

function sumOrNull(amounts: readonly (MinorUnits | null)[]): MinorUnits | null {
  let sum: MinorUnits | null = null;
  for (const amount of amounts) if (amount !== null) sum = (sum ?? 0) + amount;
  return sum;
}
