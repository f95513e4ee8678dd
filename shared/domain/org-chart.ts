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
import { normaliseName } from './types.js';
import type { LocalDate, Person, PersonRole } from './types.js';

export type TeamAttribution = 'history' | 'current';

/** The team, region and manager a person has from `effectiveFrom` on (null = since always). */
export interface Assignment {
  personId: string;
  role: PersonRole;
  team: string;
  region: string;
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

const UNASSIGNED_PERSON: OrgPerson = Object.freeze({
  id: UNASSIGNED.id,
  name: UNASSIGNED.name,
  email: null,
  assignments: Object.freeze([
    Object.freeze({
      personId: UNASSIGNED.id,
      role: 'rep',
      team: UNASSIGNED.team,
      region: UNASSIGNED.region,
      manager: null,
      active: true,
      effectiveFrom: null,
    } satisfies Assignment),
  ]),
});

export class OrgChart {
  private readonly peopleById = new Map<string, OrgPerson>();
  /** normalised name / lower-cased e-mail / id → person ids claiming it. */
  private readonly personIdsByKey = new Map<string, Set<string>>();
  private readonly regionByTeam = new Map<string, string>();
  /** The engine resolves the same few hundred owner texts a million times. */
  private readonly ownerCache = new Map<string, OrgPerson>();
  private readonly unmatched = new Set<string>();

  constructor(people: readonly Person[]) {
    const rowsById = groupRowsByPerson(people);
    for (const [id, rows] of rowsById) {
      const latest = rows[rows.length - 1]!;
      const person: OrgPerson = { id, name: latest.name, email: latest.email, assignments: rows.map(toAssignment) };
      this.peopleById.set(id, person);
      for (const row of rows) {
        this.index(row.id, id);
        this.index(normaliseName(row.name), id);
        if (row.email) this.index(row.email.trim().toLowerCase(), id);
      }
    }
    // A team belongs to the region on its latest row: a reorg moves the whole team.
    for (const row of [...people].sort(byEffectiveFrom)) this.regionByTeam.set(row.team, row.region);
    this.regionByTeam.set(UNASSIGNED.team, UNASSIGNED.region);
  }

  /**
   * The person a CRM owner text names — by person id, e-mail or name, ignoring
   * case and spacing. An owner matching nobody, or a name shared by two people,
   * resolves to Unassigned (guessing would credit the wrong rep) and is listed
   * by `unmatchedOwners()`.
   */
  resolveOwner(owner: string): OrgPerson {
    const cached = this.ownerCache.get(owner);
    if (cached) return cached;
    const candidates = this.personIdsByKey.get(normaliseName(owner));
    const person = candidates?.size === 1 ? this.peopleById.get([...candidates][0]!) : undefined;
    if (!person) this.unmatched.add(owner);
    const resolved = person ?? UNASSIGNED_PERSON;
    this.ownerCache.set(owner, resolved);
    return resolved;
  }

  /** Owner texts resolved so far that matched no one (or more than one), sorted. */
  unmatchedOwners(): string[] {
    return [...this.unmatched].sort();
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
   * for the two modes). Falls back to the earliest row before the first one.
   */
  attributedAssignment(person: OrgPerson, closeDate: LocalDate, asOf: LocalDate, mode: TeamAttribution): Assignment {
    const date = mode === 'history' ? closeDate : asOf;
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
   * managers its members' rows name (a manager may sit in a team of their own).
   */
  managersOf(team: string, date: LocalDate): string[] {
    const managers = new Set<string>();
    for (const assignment of this.assignmentsOn(date)) {
      if (assignment.team !== team || !assignment.active) continue;
      if (assignment.role === 'manager') managers.add(assignment.personId);
      if (assignment.manager) managers.add(assignment.manager);
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

  private index(key: string, personId: string): void {
    let ids = this.personIdsByKey.get(key);
    if (!ids) this.personIdsByKey.set(key, (ids = new Set()));
    ids.add(personId);
  }
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

function toAssignment(row: Person): Assignment {
  return {
    personId: row.id,
    role: row.role,
    team: row.team,
    region: row.region,
    manager: row.manager,
    active: row.active,
    effectiveFrom: row.effectiveFrom,
  };
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
