// Who sells for whom: people-file rows turned into reps, teams, regions,
// managers and leaders, and CRM owner texts resolved to people.
//
// Team attribution (config `metrics.teamAttribution`):
// - 'history': a deal counts for the team its owner was in on the deal's close
//   date — last quarter's numbers stay with last quarter's team after a move.
//   This is the default and what quarterly reviews compare against.
// - 'current': every deal counts for the team its owner is in now (the row in
//   force on the report's as-of date), so a new manager inherits the rep's
//   whole record. A row dated after the as-of date is a planned move, not "now".
// Before a person's first dated row they count in their earliest team: the
// people file says who owns the deal, and dropping it would lose revenue.
//
// Matching: deal owners, quota reps and managers name people by person id,
// e-mail or name, ignoring case, accents and spacing (`normaliseName`); teams
// and regions match the people file's the same way. Roles the file does not
// give are inferred (role-inference.ts). Managers and leaders need no team: a
// manager without one is in the team their reports are in; anyone else without
// one is listed under NO_TEAM.
import { inferRoles } from './role-inference.js';
import { normaliseName } from './types.js';
import type { LocalDate, Person, PersonRole } from './types.js';

export type TeamAttribution = 'history' | 'current';

/** The team, region and manager a person has from `effectiveFrom` on (null = since always). */
export interface Assignment {
  personId: string;
  /** As the people file gave it, or inferred (see role-inference.ts). */
  role: PersonRole;
  /** The file gave no role for this row: `role` was inferred. */
  roleInferred: boolean;
  /**
   * The team as the people file spells it first (teams match ignoring case,
   * accents and spacing). A manager without one of their own is in the team
   * their reports are in; anyone else without one is in NO_TEAM.
   */
  team: string;
  /** The file gave a team on this row. */
  teamGiven: boolean;
  region: string;
  /** The manager's person id; a manager the file names but does not list keeps the key the row gives (e-mail or name). */
  manager: string | null;
  active: boolean;
  effectiveFrom: LocalDate | null;
}

/** A person as reported on: their latest name and e-mail and every assignment, oldest first. */
export interface OrgPerson {
  id: string;
  name: string;
  email: string | null;
  assignments: readonly Assignment[];
}

/** Deals whose owner matches nobody count here, visibly, instead of being dropped. */
export const UNASSIGNED = Object.freeze({
  id: 'unassigned',
  name: 'Unassigned',
  team: 'Unassigned',
  region: 'Unassigned',
});

/** Where people the file gives no team go (a rep without one, a leader who sells): listed, never dropped. */
export const NO_TEAM = Object.freeze({ team: 'No team', region: 'No region' });

const UNASSIGNED_PERSON: OrgPerson = Object.freeze({
  id: UNASSIGNED.id,
  name: UNASSIGNED.name,
  email: null,
  assignments: Object.freeze([
    Object.freeze({
      personId: UNASSIGNED.id,
      role: 'rep',
      roleInferred: false,
      team: UNASSIGNED.team,
      teamGiven: true,
      region: UNASSIGNED.region,
      manager: null,
      active: true,
      effectiveFrom: null,
    } satisfies Assignment),
  ]),
});

/** Who a name or e-mail in an uploaded file (a deal owner, a quota's rep, a manager) is. */
export type PersonMatch =
  | { kind: 'person'; person: OrgPerson }
  /** Two or more people share the name: guessing would credit the wrong one. */
  | { kind: 'ambiguous'; people: OrgPerson[] }
  | { kind: 'none' };

/** What role inference did, for the ingest report. */
export interface RoleInferenceSummary {
  /** People whose role was inferred (some row had none), by the role they got; names sorted. */
  inferred: Record<PersonRole, string[]>;
  /** Names of people who manage each other in a cycle, one list per cycle. */
  cycles: string[][];
  /** Manager texts that name no one in the people file (or more than one), with the people naming them. */
  unknownManagers: { manager: string; people: string[] }[];
}

export class OrgChart {
  private readonly peopleById = new Map<string, OrgPerson>();
  /** normalised name / lower-cased e-mail / id → person ids claiming it. */
  private readonly personIdsByKey = new Map<string, Set<string>>();
  private readonly regionByTeam = new Map<string, string>();
  /** normalised team / region → the spelling the org chart uses. */
  private readonly teamNames = new Map<string, string>();
  private readonly regionNames = new Map<string, string>();
  /** The engine resolves the same few hundred owner texts a million times. */
  private readonly ownerCache = new Map<string, OrgPerson>();
  private readonly unmatched = new Set<string>();
  readonly roleInference: RoleInferenceSummary;

  constructor(people: readonly Person[]) {
    const rowsById = groupRowsByPerson(people);
    for (const [id, rows] of rowsById) {
      for (const row of rows) {
        this.index(row.id, id);
        this.index(normaliseName(row.name), id);
        if (row.email) this.index(row.email.trim().toLowerCase(), id);
      }
    }
    for (const row of people) {
      if (row.team.trim() !== '' && !this.teamNames.has(normaliseName(row.team))) this.teamNames.set(normaliseName(row.team), row.team.trim());
      if (row.region.trim() !== '' && !this.regionNames.has(normaliseName(row.region))) {
        this.regionNames.set(normaliseName(row.region), row.region.trim());
      }
    }

    // Managers as person ids where the file lists them (managing yourself is no management); a manager
    // the file only names (by e-mail, say) keeps the key the row gives, and takes no part in role inference.
    const managerIds = new Map<Person, string | null>();
    const managerKeys = new Map<Person, string | null>();
    const unknownManagers = new Map<string, Set<string>>();
    for (const row of people) {
      const resolved = row.manager === null ? null : this.uniquePersonId(row.manager);
      managerIds.set(row, resolved === row.id ? null : resolved);
      managerKeys.set(row, resolved === row.id ? null : (resolved ?? row.manager));
      if (row.manager !== null && resolved === null) {
        const naming = unknownManagers.get(row.manager) ?? new Set<string>();
        naming.add(row.name);
        unknownManagers.set(row.manager, naming);
      }
    }
    const inference = inferRoles(
      [...rowsById].map(([id, rows]) => {
        const latest = rows[rows.length - 1]!;
        const managersOf = (list: readonly Person[]) => list.map((row) => managerIds.get(row)).filter((m): m is string => m != null);
        return {
          id,
          explicitRoles: rows.map((row) => row.role).filter((role): role is PersonRole => role !== null),
          hasTeam: latest.team.trim() !== '',
          currentManagers: managersOf([latest]),
          allManagers: managersOf(rows),
        };
      }),
    );

    // Teams of the managers who have none of their own: where their reports are.
    const reportTeams = new Map<string, Map<string, number>>();
    for (const row of people) {
      const manager = managerIds.get(row);
      if (!manager || row.team.trim() === '') continue;
      const teams = reportTeams.get(manager) ?? new Map<string, number>();
      const team = this.canonicalTeam(row.team);
      teams.set(team, (teams.get(team) ?? 0) + 1);
      reportTeams.set(manager, teams);
    }

    for (const [id, rows] of rowsById) {
      const latest = rows[rows.length - 1]!;
      const inferredRole = inference.roles.get(id)!;
      const assignments = rows.map((row): Assignment => {
        const role = row.role ?? inferredRole;
        const teamGiven = row.team.trim() !== '';
        const team = teamGiven ? this.canonicalTeam(row.team) : role === 'manager' ? (mostCommon(reportTeams.get(id)) ?? NO_TEAM.team) : NO_TEAM.team;
        return {
          personId: id,
          role,
          roleInferred: row.role === null,
          team,
          teamGiven,
          region: row.region.trim() === '' ? '' : this.canonicalRegion(row.region),
          manager: managerKeys.get(row) ?? null,
          active: row.active,
          effectiveFrom: row.effectiveFrom,
        };
      });
      this.peopleById.set(id, { id, name: latest.name, email: latest.email, assignments });
    }
    // A team belongs to the region on its latest row: a reorg moves the whole team.
    // A team no row gives a region to is in NO_TEAM's region, not Unassigned (which means an unknown owner).
    for (const row of [...people].sort(byEffectiveFrom)) {
      if (row.team.trim() === '') continue;
      const team = this.canonicalTeam(row.team);
      if (row.region.trim() !== '') this.regionByTeam.set(team, this.canonicalRegion(row.region));
      else if (!this.regionByTeam.has(team)) this.regionByTeam.set(team, NO_TEAM.region);
    }
    this.regionByTeam.set(UNASSIGNED.team, UNASSIGNED.region);
    this.regionByTeam.set(NO_TEAM.team, NO_TEAM.region);

    const nameOf = (id: string) => this.peopleById.get(id)?.name ?? id;
    const inferred: Record<PersonRole, string[]> = { rep: [], manager: [], leader: [] };
    for (const person of this.peopleById.values()) {
      const roles = new Set(person.assignments.filter((a) => a.roleInferred).map((a) => a.role));
      for (const role of roles) inferred[role].push(person.name);
    }
    for (const names of Object.values(inferred)) names.sort();
    this.roleInference = {
      inferred,
      cycles: inference.cycles.map((cycle) => cycle.map(nameOf)),
      unknownManagers: [...unknownManagers].map(([manager, naming]) => ({ manager, people: [...naming].sort() })),
    };
  }

  /** Who a text names — by person id, e-mail or name, ignoring case, accents and spacing. */
  match(text: string): PersonMatch {
    const candidates = this.personIdsByKey.get(normaliseName(text));
    if (!candidates || candidates.size === 0) return { kind: 'none' };
    const people = [...candidates].map((id) => this.peopleById.get(id)!);
    return people.length === 1 ? { kind: 'person', person: people[0]! } : { kind: 'ambiguous', people };
  }

  /**
   * The person a CRM owner text names (see `match`). An owner matching nobody,
   * or a name shared by two people, resolves to Unassigned (guessing would
   * credit the wrong rep) and is listed by `unmatchedOwners()`.
   */
  resolveOwner(owner: string): OrgPerson {
    const cached = this.ownerCache.get(owner);
    if (cached) return cached;
    const match = this.match(owner);
    const person = match.kind === 'person' ? match.person : undefined;
    if (!person) this.unmatched.add(owner);
    const resolved = person ?? UNASSIGNED_PERSON;
    this.ownerCache.set(owner, resolved);
    return resolved;
  }

  /** Owner texts resolved so far that matched no one (or more than one), sorted. */
  unmatchedOwners(): string[] {
    return [...this.unmatched].sort();
  }

  /** The team of the people file a text names (case, accents and spacing ignored), or null. */
  resolveTeam(text: string): string | null {
    return this.teamNames.get(normaliseName(text)) ?? null;
  }

  /** The region of the people file a text names, or null. */
  resolveRegion(text: string): string | null {
    return this.regionNames.get(normaliseName(text)) ?? null;
  }

  person(id: string): OrgPerson | undefined {
    return id === UNASSIGNED.id ? UNASSIGNED_PERSON : this.peopleById.get(id);
  }

  people(): OrgPerson[] {
    return [...this.peopleById.values()];
  }

  /** The assignment in force on a date: latest `effectiveFrom` not after it; null if the person had none yet (or is unknown). */
  assignmentAt(personId: string, date: LocalDate): Assignment | null {
    const person = this.person(personId);
    return person ? assignmentInForce(person.assignments, date) : null;
  }

  /**
   * The assignment a deal closing on `closeDate` counts under (see the header
   * for the two modes; an undated open deal counts where its owner is on the
   * as-of date). Falls back to the earliest row before the first one.
   */
  attributedAssignment(person: OrgPerson, closeDate: LocalDate | null, asOf: LocalDate, mode: TeamAttribution): Assignment {
    const date = mode === 'history' && closeDate !== null ? closeDate : asOf;
    return assignmentInForce(person.assignments, date) ?? person.assignments[0]!;
  }

  /** The region a team belongs to; Unassigned for a team nobody is in. */
  regionOf(team: string): string {
    return this.regionByTeam.get(team) ?? UNASSIGNED.region;
  }

  /** People whose assignment on `date` puts them in the team, sorted by id. */
  membersOf(team: string, date: LocalDate): string[] {
    return this.assignmentsOn(date)
      .filter((assignment) => assignment.team === team)
      .map((assignment) => assignment.personId)
      .sort();
  }

  /** Teams with anyone in them on `date`, sorted. */
  teams(date: LocalDate): string[] {
    return [...new Set(this.assignmentsOn(date).map((assignment) => assignment.team))].sort();
  }

  regions(date: LocalDate): string[] {
    return [...new Set(this.teams(date).map((team) => this.regionOf(team)))].sort();
  }

  /**
   * A team's managers on `date`: people with the manager role in it, and the
   * managers its reps' rows name (a manager may sit in a team of their own).
   */
  managersOf(team: string, date: LocalDate): string[] {
    const managers = new Set<string>();
    for (const assignment of this.assignmentsOn(date)) {
      if (assignment.team !== team || !assignment.active) continue;
      if (assignment.role === 'manager') managers.add(assignment.personId);
      // The manager its reps name; a manager's own manager (leadership) does not manage the team.
      if (assignment.manager && assignment.role === 'rep') managers.add(assignment.manager);
    }
    return [...managers].sort();
  }

  /** Active people with the leader role on `date`: they see the whole organisation. */
  leaders(date: LocalDate): string[] {
    return this.assignmentsOn(date)
      .filter((assignment) => assignment.role === 'leader' && assignment.active)
      .map((assignment) => assignment.personId)
      .sort();
  }

  private assignmentsOn(date: LocalDate): Assignment[] {
    const inForce: Assignment[] = [];
    for (const person of this.peopleById.values()) {
      const assignment = assignmentInForce(person.assignments, date);
      if (assignment) inForce.push(assignment);
    }
    return inForce;
  }

  /** Usable while the chart is being built: the id only, from the key index. */
  private uniquePersonId(text: string): string | null {
    const candidates = this.personIdsByKey.get(normaliseName(text));
    return candidates?.size === 1 ? [...candidates][0]! : null;
  }

  private canonicalTeam(team: string): string {
    return this.teamNames.get(normaliseName(team)) ?? team.trim();
  }

  private canonicalRegion(region: string): string {
    return this.regionNames.get(normaliseName(region)) ?? region.trim();
  }

  private index(key: string, personId: string): void {
    let ids = this.personIdsByKey.get(key);
    if (!ids) this.personIdsByKey.set(key, (ids = new Set()));
    ids.add(personId);
  }
}

/** The most frequent key (ties: first in text order), or null for none. */
function mostCommon(counts: ReadonlyMap<string, number> | undefined): string | null {
  let best: string | null = null;
  let bestCount = 0;
  for (const [key, count] of [...(counts ?? [])].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (count > bestCount) [best, bestCount] = [key, count];
  }
  return best;
}

/** Rows of each person, oldest `effectiveFrom` first (null = since always sorts first; file order breaks ties). */
function groupRowsByPerson(people: readonly Person[]): Map<string, Person[]> {
  const rowsById = new Map<string, Person[]>();
  for (const row of people) {
    const rows = rowsById.get(row.id);
    if (rows) rows.push(row);
    else rowsById.set(row.id, [row]);
  }
  for (const rows of rowsById.values()) rows.sort(byEffectiveFrom);
  return rowsById;
}

function byEffectiveFrom(a: Person, b: Person): number {
  const from = a.effectiveFrom ?? '';
  const to = b.effectiveFrom ?? '';
  return from < to ? -1 : from > to ? 1 : 0;
}

/** `assignments` oldest first; the last one starting on or before `date`. */
function assignmentInForce(assignments: readonly Assignment[], date: LocalDate): Assignment | null {
  let inForce: Assignment | null = null;
  for (const assignment of assignments) {
    if (assignment.effectiveFrom !== null && assignment.effectiveFrom > date) break;
    inForce = assignment;
  }
  return inForce;
}
