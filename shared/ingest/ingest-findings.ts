// Data-quality findings of an ingest report that come from joining an upload
// with what is already stored: roles inferred from the people file, quota rows
// and deal owners that match no one. Pure: the use case hands in the rows.
import { OrgChart } from '../domain/org-chart.js';
import { resolveQuotaEntity } from '../domain/quota-book.js';
import { peopleReconciliation } from '../domain/reporting-structure.js';
import type { Person, Quota } from '../domain/types.js';

/** Findings of one kind listed in full; beyond this many the report stops listing. */
export const MAX_LISTED_FINDINGS = 50;

/** What the people file leaves to inference or cannot place: roles inferred, manager cycles, unknown managers, reps without a team. */
export function orgChartFindings(chart: OrgChart): string[] {
  const { inferred, cycles, unknownManagers } = chart.roleInference;
  const findings: string[] = [];
  const counted = (names: readonly string[], role: string) =>
    names.length === 0 ? null : `${names.length} ${role}(s)${names.length <= 10 ? ` (${names.join(', ')})` : ''}`;
  const roles = [counted(inferred.leader, 'leader'), counted(inferred.manager, 'manager'), counted(inferred.rep, 'rep')].filter(Boolean);
  if (roles.length > 0) {
    findings.push(
      `roles inferred where the file gives none, from the Manager column (anyone named as a manager is a manager; ` +
        `whoever manages managers, or has no team and no manager, is a leader; everyone else a rep): ${roles.join(', ')}`,
    );
  }
  for (const cycle of cycles) findings.push(`${cycle.join(', ')} manage each other in a cycle: none of them counts as leadership for it`);
  for (const { manager, people } of unknownManagers.slice(0, MAX_LISTED_FINDINGS)) {
    findings.push(`manager '${manager}' (named by ${people.slice(0, 5).join(', ')}${people.length > 5 ? ', …' : ''}) is not a row of the people file`);
  }
  for (const group of peopleReconciliation(chart).unused) findings.push(`${group.count} ${group.reason}: ${group.examples.join('; ')}`);
  return findings;
}

/** Quota rows that name no one in the people file (or two people): they would count for no one. */
export function quotaFindings(quotas: readonly Quota[], chart: OrgChart): string[] {
  const byReason = new Map<string, string[]>();
  for (const quota of quotas) {
    const resolution = resolveQuotaEntity(quota, chart);
    if (resolution.ok) continue;
    const periods = byReason.get(resolution.reason) ?? [];
    periods.push(quota.periodId);
    byReason.set(resolution.reason, periods);
  }
  return [...byReason]
    .slice(0, MAX_LISTED_FINDINGS)
    .map(([reason, periods]) => `quota row(s) for ${periods.sort().join(', ')}: ${reason}; they count for no one until fixed`);
}

export function unmatchedOwnerFindings(people: readonly Person[], owners: ReadonlyMap<string, number>): string[] {
  const chart = new OrgChart(people);
  const findings: string[] = [];
  for (const [owner, deals] of [...owners].sort((a, b) => b[1] - a[1])) {
    if (chart.resolveOwner(owner).id !== 'unassigned') continue;
    if (findings.length === MAX_LISTED_FINDINGS) break;
    findings.push(
      people.length === 0
        ? `owner '${owner}' (${deals} deal(s)): no people file uploaded yet, so deals count under Unassigned until one is`
        : `owner '${owner}' (${deals} deal(s)) matches no one in the people file; their deals count under Unassigned`,
    );
  }
  return findings;
}
