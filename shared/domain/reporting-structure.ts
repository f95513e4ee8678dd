// Who is listed where in a report: reps under teams, teams under regions,
// regions under the company, and the totals of each from the seats the deals
// landed on. Also whether each people-file row found its place.
import { COMPANY_ID } from './metrics.js';
import { addInto, emptyTotals, type DealTally, type Totals } from './deal-tally.js';
import type { SeatIndex } from './seat-index.js';
import type { EntityRef } from './entity-figures.js';
import { NO_TEAM, UNASSIGNED, type OrgChart, type TeamAttribution } from './org-chart.js';
import { UnusedRowsBook, type KindReconciliation } from './reconciliation.js';
import type { EntityLevel, FiscalPeriod, LocalDate } from './types.js';


export interface ReportingStructure {
  reps: EntityRef[];
  teams: EntityRef[];
  regions: EntityRef[];
  repTotals: Map<string, Totals>;
  teamTotals: Map<string, Totals>;
  regionTotals: Map<string, Totals>;
  companyTotals: Totals;
  /** Quota roll-up: a team's members are its listed reps, a region's its teams, the company's its regions. */
  membersOf: (level: EntityLevel, id: string) => readonly EntityRef[];
}

/**
 * Who is listed where. A rep is listed under the team they are in at the end
 * of the reported span (history) or on the as-of date (current). Figures roll
 * up by seat, so in history mode a rep who moved mid-period is listed once,
 * under the new team, while the deals they closed before the move stay with the
 * old team's figures.
 */
export function reportingStructure(
  org: OrgChart,
  seats: SeatIndex,
  tally: DealTally,
  period: FiscalPeriod,
  asOf: LocalDate,
  mode: TeamAttribution,
  carryingQuota: ReadonlySet<string>,
): ReportingStructure {
  const listedOn = mode === 'history' ? clampDate(asOf, period.start, period.end) : asOf;
  const repTotals = new Map<string, Totals>();
  const teamTotals = new Map<string, Totals>();
  seats.assignments.forEach((assignment, seat) => {
    const totals = tally.seatTotals[seat];
    if (!totals) return;
    addInto(totalsFor(repTotals, assignment.personId), totals);
    addInto(totalsFor(teamTotals, assignment.team), totals);
  });

  const reps: EntityRef[] = [];
  for (const person of [...org.people(), org.person(UNASSIGNED.id)!]) {
    const listing = org.attributedAssignment(person, listedOn, listedOn, 'history');
    // Managers and leaders are listed as reps only when they sell (own deals) or carry a quota.
    const isActiveRep = listing.role === 'rep' && listing.active && person.id !== UNASSIGNED.id;
    if (!isActiveRep && !repTotals.has(person.id) && !carryingQuota.has(person.id)) continue;
    totalsFor(repTotals, person.id);
    totalsFor(teamTotals, listing.team);
    reps.push({ level: 'rep', id: person.id, name: person.name, team: listing.team, region: org.regionOf(listing.team) });
  }

  const regionTotals = new Map<string, Totals>();
  const teams: EntityRef[] = [];
  for (const [team, totals] of teamTotals) {
    const region = org.regionOf(team);
    addInto(totalsFor(regionTotals, region), totals);
    teams.push({ level: 'team', id: team, name: team, team: null, region });
  }
  const companyTotals = emptyTotals();
  const regions: EntityRef[] = [];
  for (const [region, totals] of regionTotals) {
    addInto(companyTotals, totals);
    regions.push({ level: 'region', id: region, name: region, team: null, region: null });
  }

  reps.sort((a, b) => compareListed(a.team!, b.team!) || compareListed(a.name, b.name) || compareText(a.id, b.id));
  teams.sort((a, b) => compareListed(a.region!, b.region!) || compareListed(a.id, b.id));
  regions.sort((a, b) => compareListed(a.id, b.id));

  const members = new Map<string, EntityRef[]>();
  const addMember = (level: EntityLevel, id: string, member: EntityRef): void => {
    const key = entityKey(level, id);
    const list = members.get(key);
    if (list) list.push(member);
    else members.set(key, [member]);
  };
  for (const rep of reps) addMember('team', rep.team!, rep);
  for (const team of teams) addMember('region', team.region!, team);
  for (const region of regions) addMember('company', COMPANY_ID, region);

  return {
    reps,
    teams,
    regions,
    repTotals,
    teamTotals,
    regionTotals,
    companyTotals,
    membersOf: (level, id) => members.get(entityKey(level, id)) ?? [],
  };
}

function totalsFor(totalsById: Map<string, Totals>, id: string): Totals {
  let totals = totalsById.get(id);
  if (!totals) totalsById.set(id, (totals = emptyTotals()));
  return totals;
}

function clampDate(date: LocalDate, start: LocalDate, end: LocalDate): LocalDate {
  return date < start ? start : date > end ? end : date;
}

/** Names in order, Unassigned and No team last. */
function compareListed(a: string, b: string): number {
  const last = (name: string) => (name === UNASSIGNED.team ? 2 : name === NO_TEAM.team || name === NO_TEAM.region ? 1 : 0);
  return last(a) - last(b) || compareText(a, b);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function entityKey(level: EntityLevel, id: string): string {
  return `${level}\u0000${id}`;
}


/**
 * People-file rows: every row is a stint in the org chart. Named: reps the
 * file gives no team (listed under No team) and managers nobody reports to
 * who have no team either.
 */
export function peopleReconciliation(org: OrgChart): KindReconciliation {
  const book = new UnusedRowsBook();
  let loaded = 0;
  const managing = new Set<string>();
  for (const person of org.people()) for (const assignment of person.assignments) if (assignment.manager) managing.add(assignment.manager);
  for (const person of org.people()) {
    for (const assignment of person.assignments) {
      loaded += 1;
      if (assignment.teamGiven) continue;
      const row = `${person.name}${person.email ? ` <${person.email}>` : ''}${assignment.effectiveFrom ? ` from ${assignment.effectiveFrom}` : ''}`;
      if (assignment.role === 'rep') {
        book.add(
          'person-no-team',
          `a rep${assignment.roleInferred ? ' (role inferred)' : ''} without a team: listed under '${NO_TEAM.team}' — give them a team in the people file`,
          row,
        );
      } else if (assignment.role === 'manager' && !managing.has(person.id)) {
        book.add('manager-of-no-one', `a manager with no team whom nobody reports to: they lead no team — give them a team or their reports' Manager`, row);
      }
    }
  }
  return book.reconcile('people', loaded);
}
