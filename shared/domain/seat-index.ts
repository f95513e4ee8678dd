// Seats: where a deal's numbers land. A seat is a person's stint in a team (one
// people-file row); an owner text resolves to one fixed seat, or — with history
// attribution and several rows — to the seat in force on the deal's close date.
// Owners are resolved once per distinct text; the columnar pass then reads an
// owner code's seat from an array (`OwnerSeats.seatOf`).
import { NO_DAY } from './deal-columns.js';
import { toDayNumber } from './local-date.js';
import { UNASSIGNED, type Assignment, type OrgChart, type OrgPerson, type TeamAttribution } from './org-chart.js';
import type { LocalDate } from './types.js';

/** How one owner text maps to seats: one fixed seat, or a seat per effective date (history mode). */
interface OwnerEntry {
  person: OrgPerson;
  fixedSeat: number;
  /** History mode with several rows: the first day (−∞ = since always) of each seat, oldest first. */
  fromDays: readonly number[];
  seats: readonly number[];
}

/** Who a seat's deals count for, as listed on a past-due deal. */
export interface SeatPlace {
  repId: string;
  repName: string;
  team: string;
  region: string;
}

export class SeatIndex {
  readonly assignments: Assignment[] = [];
  readonly places: SeatPlace[] = [];
  /** 1 for the Unassigned rep's seats: the owner matched no one. */
  readonly unassigned: Uint8Array;
  readonly asOfDay: number;
  private readonly seatOfAssignment = new Map<Assignment, number>();
  private readonly byOwner = new Map<string, OwnerEntry>();

  constructor(
    private readonly org: OrgChart,
    private readonly asOf: LocalDate,
    private readonly mode: TeamAttribution,
  ) {
    for (const person of [...org.people(), org.person(UNASSIGNED.id)!]) {
      for (const assignment of person.assignments) {
        this.seatOfAssignment.set(assignment, this.assignments.length);
        this.assignments.push(assignment);
        this.places.push({ repId: person.id, repName: person.name, team: assignment.team, region: org.regionOf(assignment.team) });
      }
    }
    this.unassigned = Uint8Array.from(this.places, (place) => (place.repId === UNASSIGNED.id ? 1 : 0));
    this.asOfDay = toDayNumber(asOf);
  }

  /** Whether a seat is the Unassigned rep's: the owner matched no one. */
  isUnassigned(seat: number): boolean {
    return this.unassigned[seat] === 1;
  }

  get count(): number {
    return this.assignments.length;
  }

  /** The seat a deal of this owner closing on `closeDate` counts on; an undated deal counts where its owner is on the as-of date. */
  seatOf(owner: string, closeDate: LocalDate | null): number {
    return this.seatOnDay(this.entryOf(owner), closeDate === null ? NO_DAY : toDayNumber(closeDate));
  }

  /** Seats for the owner codes of one set of deal columns (`owners` is its dictionary), each resolved on first use. */
  forOwners(owners: readonly string[]): OwnerSeats {
    return new OwnerSeats(this, owners);
  }

  /** The entry of an owner text, resolved against the people file on first use (which lists unmatched owners). */
  entryOf(owner: string): OwnerEntry {
    return this.byOwner.get(owner) ?? this.addOwner(owner);
  }

  /** The seat of an owner on a day; `NO_DAY` (undated) counts on the as-of day. */
  seatOnDay(entry: OwnerEntry, day: number): number {
    if (entry.fixedSeat >= 0) return entry.fixedSeat;
    if (day === NO_DAY) day = this.asOfDay;
    let seat = entry.seats[0]!; // before the first dated row: earliest team
    for (let i = 0; i < entry.fromDays.length && entry.fromDays[i]! <= day; i += 1) seat = entry.seats[i]!;
    return seat;
  }

  private addOwner(owner: string): OwnerEntry {
    const person = this.org.resolveOwner(owner);
    const seats = person.assignments.map((assignment) => this.seatOfAssignment.get(assignment)!);
    const varies = this.mode === 'history' && seats.length > 1;
    const fixedSeat = varies
      ? -1
      : this.seatOfAssignment.get(this.org.attributedAssignment(person, this.asOf, this.asOf, this.mode))!;
    const entry: OwnerEntry = {
      person,
      fixedSeat,
      fromDays: person.assignments.map((assignment) =>
        assignment.effectiveFrom === null || assignment.effectiveFrom === undefined || assignment.effectiveFrom === ''
          ? Number.NEGATIVE_INFINITY
          : toDayNumber(assignment.effectiveFrom),
      ),
      seats,
    };
    this.byOwner.set(owner, entry);
    return entry;
  }
}

const UNRESOLVED = -2;
const VARIES = -1;

/** Owner code → seat for one set of deal columns: an array read once the code's owner text is resolved. */
export class OwnerSeats {
  /** The seat of each owner code; `VARIES` when it depends on the close date, `UNRESOLVED` before first use. */
  private readonly fixed: Int32Array;
  private readonly entries: (OwnerEntry | undefined)[];

  constructor(
    private readonly index: SeatIndex,
    private readonly owners: readonly string[],
  ) {
    this.fixed = new Int32Array(owners.length).fill(UNRESOLVED);
    this.entries = new Array<OwnerEntry | undefined>(owners.length);
  }

  /** The seat a deal of owner `code` closing on `closeDay` (`NO_DAY`: undated) counts on. */
  seatOf(code: number, closeDay: number): number {
    const seat = this.fixed[code]!;
    return seat >= 0 ? seat : this.dated(code, closeDay);
  }

  private dated(code: number, closeDay: number): number {
    let entry = this.entries[code];
    if (entry === undefined) {
      entry = this.entries[code] = this.index.entryOf(this.owners[code]!);
      this.fixed[code] = entry.fixedSeat >= 0 ? entry.fixedSeat : VARIES;
    }
    return this.index.seatOnDay(entry, closeDay);
  }
}
