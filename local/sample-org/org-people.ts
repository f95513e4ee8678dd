// Northwind's people: leaders, regional VPs, team managers and reps, with the
// career events the reports must cope with — a rep who moved teams mid-quarter,
// one who left, and new hires still ramping up.
import type { LocalDate, Person } from '../../shared/domain/types.js';
import { addDays, dayNumber, fiscalQuarterByOrdinal, fiscalQuarterOf, fromDayNumber, type FiscalQuarter } from './dates.js';
import type { Timeline } from './model.js';
import { clamp, shuffle, type SeededRandom } from './random.js';
import {
  FIRST_NAMES,
  FISCAL_YEAR_START_MONTH,
  LAST_NAMES,
  LEADERS,
  MAIL_DOMAIN,
  REGIONAL_VPS,
  TEAMS,
  UNKNOWN_OWNER,
  type SampleRegion,
  type TeamPlan,
} from './roster.js';

export interface TeamAssignment {
  team: TeamPlan;
  /** null: since before the sample's history. */
  from: LocalDate | null;
}

export interface RepPlan {
  id: string;
  name: string;
  email: string;
  region: SampleRegion;
  assignments: TeamAssignment[];
  hireDate: LocalDate | null;
  leaveDate: LocalDate | null;
  /** 1 = typical; above 1 wins more and bigger deals; below 1 struggles. */
  skill: number;
}

export function quarterAt(timeline: Timeline, offsetFromCurrent: number): FiscalQuarter {
  return fiscalQuarterByOrdinal(timeline.current.ordinal + offsetFromCurrent, FISCAL_YEAR_START_MONTH);
}

/** `José Muñoz` → `jose.munoz`; `Lukas Strauß` → `lukas.strauss`; `Liam O’Connor` → `liam.oconnor`. */
export function emailLocalPart(name: string): string {
  return name
    .replace(/ß/g, 'ss')
    .replace(/[øØ]/g, 'o')
    .replace(/[æÆ]/g, 'ae')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .trim()
    .split(/\s+/)
    .join('.')
    .replace(/[^a-z.-]/g, '');
}

/** Hands out full names whose e-mail addresses are unique. */
export class NameBook {
  private readonly taken = new Set<string>([emailLocalPart(UNKNOWN_OWNER)]);
  private readonly emails = new Map<string, string>();

  constructor(private readonly rng: SeededRandom) {
    const fixedNames = [
      LEADERS.ceo,
      LEADERS.cro,
      ...Object.values(REGIONAL_VPS),
      ...TEAMS.flatMap((team) => [team.manager, ...(team.namedReps ?? [])]),
    ];
    for (const name of fixedNames) this.claim(name);
  }

  private claim(name: string): void {
    const local = emailLocalPart(name);
    if (this.taken.has(local)) throw new RangeError(`two people would share the address ${local}@${MAIL_DOMAIN}`);
    this.taken.add(local);
    this.emails.set(name, `${local}@${MAIL_DOMAIN}`);
  }

  fresh(region: SampleRegion): string {
    for (;;) {
      const name = `${this.rng.pick(FIRST_NAMES[region])} ${this.rng.pick(LAST_NAMES[region])}`;
      if (!this.taken.has(emailLocalPart(name))) {
        this.claim(name);
        return name;
      }
    }
  }

  emailOf(name: string): string {
    const email = this.emails.get(name);
    if (email === undefined) throw new RangeError(`no e-mail for ${name}`);
    return email;
  }
}

function teamNamed(name: string): TeamPlan {
  const team = TEAMS.find((candidate) => candidate.name === name);
  if (team === undefined) throw new RangeError(`no team ${name}`);
  return team;
}

export function planReps(rng: SeededRandom, names: NameBook, timeline: Timeline, repsPerTeam: number): RepPlan[] {
  const repsByTeam = new Map<string, RepPlan[]>();
  for (const team of TEAMS) {
    const members = Array.from({ length: repsPerTeam }, (_, index) => {
      const name = team.namedReps?.[index] ?? names.fresh(team.region);
      return newRep(name, names.emailOf(name), team, null);
    });
    repsByTeam.set(team.name, members);
  }
  const reps = [...repsByTeam.values()].flat();
  const member = (team: string, index: number): RepPlan => {
    const rep = repsByTeam.get(team)?.[index];
    if (rep === undefined) throw new RangeError(`no rep ${index} in ${team}`);
    return rep;
  };

  // A promotion mid-quarter in the current fiscal year: two people-file rows.
  const mover = member('NA Commercial', 2);
  mover.assignments.push({ team: teamNamed('NA Enterprise'), from: moveDate(timeline) });
  // Left at the end of the quarter three quarters ago; the people file keeps them, inactive.
  const leaver = member('DACH', 3);
  leaver.leaveDate = quarterAt(timeline, -3).end;
  // Hired during the history: they ramp up over three quarters.
  const earlyHire = member('NA Commercial', 5);
  earlyHire.hireDate = addDays(quarterAt(timeline, -5).start, 20);
  const laterHire = member('Southern Europe', 4);
  laterHire.hireDate = addDays(quarterAt(timeline, -3).start, 5);
  // The new rep, hired two quarters ago and still ramping.
  const newHireName = names.fresh('APAC');
  reps.push(newRep(newHireName, names.emailOf(newHireName), teamNamed('ANZ'), addDays(quarterAt(timeline, -2).start, 10)));

  assignSkills(rng, reps, new Set([mover, leaver, earlyHire, laterHire]));
  return reps;
}

function newRep(name: string, email: string, team: TeamPlan, hireDate: LocalDate | null): RepPlan {
  return { id: email, name, email, region: team.region, assignments: [{ team, from: null }], hireDate, leaveDate: null, skill: 1 };
}

/** Three stars and three strugglers among the settled reps; everyone else near typical. */
function assignSkills(rng: SeededRandom, reps: readonly RepPlan[], special: ReadonlySet<RepPlan>): void {
  const settled = reps.filter((rep) => !special.has(rep) && rep.hireDate === null);
  for (const rep of settled) rep.skill = clamp(1 + 0.12 * rng.normal(), 0.75, 1.3);
  const shuffled = shuffle(rng, settled);
  for (const star of shuffled.slice(0, 3)) star.skill = 1.6 + 0.2 * rng.next();
  for (const struggler of shuffled.slice(3, 6)) struggler.skill = 0.45 + 0.15 * rng.next();
}

/**
 * The middle of the last completed quarter when it is in the current fiscal
 * year, else the middle of the elapsed part of the current quarter.
 */
function moveDate(timeline: Timeline): LocalDate {
  const previous = quarterAt(timeline, -1);
  const [from, to] =
    previous.fiscalYear === timeline.current.fiscalYear ? [previous.start, previous.end] : [timeline.current.start, timeline.asOf];
  return fromDayNumber(Math.floor((dayNumber(from) + dayNumber(to)) / 2));
}

export function teamAt(rep: RepPlan, date: LocalDate): TeamPlan {
  let team = rep.assignments[0]?.team;
  for (const assignment of rep.assignments) {
    if (assignment.from === null || assignment.from <= date) team = assignment.team;
  }
  if (team === undefined) throw new RangeError(`${rep.name} has no team`);
  return team;
}

/** Quarters since the rep's hire quarter (0 = hired this quarter); null before hire; Infinity for veterans. */
export function quartersSinceHire(rep: RepPlan, quarter: FiscalQuarter): number | null {
  if (rep.hireDate === null) return Number.POSITIVE_INFINITY;
  const since = quarter.ordinal - fiscalQuarterOf(rep.hireDate, FISCAL_YEAR_START_MONTH).ordinal;
  return since < 0 ? null : since;
}

/** Ramp tables: share of full productivity (deals) and of full quota by quarters since hire. */
export const RAMP_PRODUCTIVITY = [0.35, 0.65, 0.9] as const;
export const RAMP_QUOTA = [0.25, 0.5, 0.75] as const;

export function rampShare(table: readonly number[], quartersSinceHire: number): number {
  return table[quartersSinceHire] ?? 1;
}

export function buildPeople(names: NameBook, reps: readonly RepPlan[]): Person[] {
  const person = (name: string, role: Person['role'], team: string, region: string, manager: string | null): Person => ({
    id: names.emailOf(name),
    name,
    email: names.emailOf(name),
    role,
    team,
    manager: manager === null ? null : names.emailOf(manager),
    region,
    active: true,
    effectiveFrom: null,
  });

  // Leaders and regional VPs own no deals and no quotas, so their teams carry no figures.
  const people: Person[] = [
    person(LEADERS.ceo, 'leader', 'Executive', 'Global', null),
    person(LEADERS.cro, 'leader', 'Executive', 'Global', LEADERS.ceo),
    ...Object.entries(REGIONAL_VPS).map(([region, vp]) => person(vp, 'manager', `${region} Leadership`, region, LEADERS.cro)),
    ...TEAMS.map((team) => person(team.manager, 'manager', team.name, team.region, REGIONAL_VPS[team.region])),
  ];
  for (const rep of reps) {
    rep.assignments.forEach((assignment, index) => {
      people.push({
        id: rep.id,
        name: rep.name,
        email: rep.email,
        role: 'rep',
        team: assignment.team.name,
        manager: names.emailOf(assignment.team.manager),
        region: assignment.team.region,
        active: rep.leaveDate === null,
        effectiveFrom: index === 0 ? rep.hireDate : assignment.from,
      });
    });
  }
  return people;
}
