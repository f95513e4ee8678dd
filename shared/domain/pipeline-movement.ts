// Pipeline movement: why this week's open pipeline differs from last week's.
//
//   opening + new + pulledIn + increased + transferredIn
//           − pushedOut − decreased − won − lost − removed − transferredOut = closing
//
// Pipeline = open deals whose close date falls in `window` — one fixed window
// for both snapshots (usually the current fiscal quarter), so a deal moves only
// because something happened to the deal, never because the calendar moved.
//
// Each deal tells one story — it stayed, entered or left — and the story is
// booked as terms whose sum is exactly its closing minus its opening
// contribution at every entity, so the equation balances to the cent by
// construction, per rep, team, region and company:
// - new: entered without a date change (created, reopened, or first seen);
// - pulledIn / pushedOut: entered / left because its close date moved into /
//   out of the window (almost always from / to a later period);
// - increased / decreased: amount changes, including a change on the way out
//   (won, lost and pushed-out deals carry the amount they left with);
// - won / lost: closed since the opening snapshot;
// - removed: gone from the CRM (not in the closing snapshot nor in `closed`),
//   the extra term the METRICS.md equation needs once deletions are real;
// - transferredIn / transferredOut: the deal changed owner, so it moves between
//   reps (and teams/regions when those differ); they cancel out at the company.
// Entities are found with the owner's team on the as-of date: pipeline looks
// forward, so both snapshots are viewed through today's org chart.
import type { DateWindow } from './fiscal-calendar.js';
import type { OrgChart } from './org-chart.js';
import type { EntityLevel, LocalDate, MinorUnits, StageClass } from './types.js';

/** A deal as it stood when a snapshot was taken. */
export interface DealSnapshot {
  id: string;
  owner: string;
  amount: MinorUnits;
  /** Null for an open deal without a close date: in no window. */
  closeDate: LocalDate | null;
  stageClass: StageClass;
  probability: number;
  createdDate: LocalDate | null;
}

export interface MovementOptions {
  org: OrgChart;
  asOf: LocalDate;
  /**
   * Deals won or lost since the opening snapshot. Needed when the snapshots hold
   * only open deals: without it a deal that closed cannot be told from one that
   * was deleted. Snapshots that include closed deals need nothing here.
   */
  closed?: { won: readonly DealSnapshot[]; lost: readonly DealSnapshot[] };
}

export const INFLOW_TERMS = ['new', 'pulledIn', 'increased', 'transferredIn'] as const;
export const OUTFLOW_TERMS = ['pushedOut', 'decreased', 'won', 'lost', 'removed', 'transferredOut'] as const;
export type MovementTerm = (typeof INFLOW_TERMS)[number] | (typeof OUTFLOW_TERMS)[number];

/** Every term is a sum of deal amounts; outflows are positive numbers that are subtracted. */
export type MovementFigures = Record<'opening' | 'closing' | MovementTerm, MinorUnits>;

export interface EntityMovement extends MovementFigures {
  level: EntityLevel;
  id: string;
  name: string;
  team: string | null;
  region: string | null;
}

/** Where a deal's pipeline is booked. */
export interface PipelinePlace {
  repId: string;
  team: string;
  region: string;
}

/** One deal's contribution to one term, booked at rep level. */
export interface MovedDeal extends PipelinePlace {
  term: MovementTerm;
  dealId: string;
  amount: MinorUnits;
  /** For transfers: the other side (the previous owner for `transferredIn`, the new one for `transferredOut`). */
  counterpart: PipelinePlace | null;
  opening: DealSnapshot | null;
  closing: DealSnapshot | null;
}

export interface PipelineMovement {
  window: DateWindow;
  /** Company, then regions, teams and reps. */
  entities: EntityMovement[];
  deals: Record<MovementTerm, MovedDeal[]>;
}

const LEVELS: readonly EntityLevel[] = ['company', 'region', 'team', 'rep'];

export function pipelineMovement(
  opening: readonly DealSnapshot[],
  closing: readonly DealSnapshot[],
  window: DateWindow,
  options: MovementOptions,
): PipelineMovement {
  const ledger = new MovementLedger(options.org, options.asOf);
  const openingById = byId(opening);
  const closingById = byId(closing);
  const wonById = byId(options.closed?.won ?? []);
  const lostById = byId(options.closed?.lost ?? []);
  const inPipeline = (deal: DealSnapshot | undefined): deal is DealSnapshot =>
    deal !== undefined && deal.stageClass === 'open' && deal.closeDate !== null && deal.closeDate >= window.start && deal.closeDate <= window.end;

  for (const id of new Set([...openingById.keys(), ...closingById.keys()])) {
    const before = openingById.get(id);
    const after = closingById.get(id);
    if (inPipeline(before) && inPipeline(after)) {
      ledger.stayed(before, after);
    } else if (inPipeline(after)) {
      ledger.entered(after, before?.stageClass === 'open' ? 'pulledIn' : 'new', before ?? null);
    } else if (inPipeline(before)) {
      const exit = exitOf(after ?? wonById.get(id) ?? lostById.get(id));
      if (exit) ledger.left(before, exit.snapshot, exit.term);
      else ledger.removed(before);
    }
  }
  return { window, entities: ledger.entities(), deals: ledger.dealLists() };
}

/** How a deal that was in the pipeline left it, judged from its latest known state. */
function exitOf(latest: DealSnapshot | undefined): { term: 'won' | 'lost' | 'pushedOut'; snapshot: DealSnapshot } | null {
  if (!latest) return null;
  const term = latest.stageClass === 'open' ? 'pushedOut' : latest.stageClass;
  return { term, snapshot: latest };
}

function byId(snapshots: readonly DealSnapshot[]): Map<string, DealSnapshot> {
  return new Map(snapshots.map((snapshot) => [snapshot.id, snapshot]));
}

/** Books each deal's story at every level, and the rep-level deal lists. */
class MovementLedger {
  private readonly figures = new Map<string, EntityMovement>();
  private readonly lists = Object.fromEntries(
    [...INFLOW_TERMS, ...OUTFLOW_TERMS].map((term) => [term, [] as MovedDeal[]]),
  ) as Record<MovementTerm, MovedDeal[]>;
  private readonly placeByOwner = new Map<string, PipelinePlace>();

  constructor(
    private readonly org: OrgChart,
    private readonly asOf: LocalDate,
  ) {}

  stayed(before: DealSnapshot, after: DealSnapshot): void {
    this.open(before, after);
    this.transferIfMoved(before, after);
    this.amountChange(before, after);
  }

  entered(after: DealSnapshot, term: 'new' | 'pulledIn', before: DealSnapshot | null): void {
    this.open(null, after);
    this.book(term, after.amount, this.placeOf(after.owner), after.id, before, after);
  }

  left(before: DealSnapshot, exit: DealSnapshot, term: 'won' | 'lost' | 'pushedOut'): void {
    this.open(before, null);
    this.transferIfMoved(before, exit);
    this.amountChange(before, exit);
    this.book(term, exit.amount, this.placeOf(exit.owner), before.id, before, exit);
  }

  removed(before: DealSnapshot): void {
    this.open(before, null);
    this.book('removed', before.amount, this.placeOf(before.owner), before.id, before, null);
  }

  entities(): EntityMovement[] {
    const rank: Record<EntityLevel, number> = { company: 0, region: 1, team: 2, rep: 3 };
    return [...this.figures.values()].sort((a, b) => rank[a.level] - rank[b.level] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  dealLists(): Record<MovementTerm, MovedDeal[]> {
    return this.lists;
  }

  /** Opening and closing pipeline, straight from the snapshots. */
  private open(before: DealSnapshot | null, after: DealSnapshot | null): void {
    if (before) for (const entity of this.entitiesOf(this.placeOf(before.owner))) entity.opening += before.amount;
    if (after) for (const entity of this.entitiesOf(this.placeOf(after.owner))) entity.closing += after.amount;
  }

  /** The opening amount follows the deal to its new owner, at each level where the owner's entity differs. */
  private transferIfMoved(before: DealSnapshot, after: DealSnapshot): void {
    const from = this.placeOf(before.owner);
    const to = this.placeOf(after.owner);
    for (const level of LEVELS) {
      const fromEntity = this.entityAt(level, from);
      const toEntity = this.entityAt(level, to);
      if (fromEntity === toEntity) continue;
      fromEntity.transferredOut += before.amount;
      toEntity.transferredIn += before.amount;
    }
    if (from.repId !== to.repId) {
      this.list('transferredOut', before.amount, from, before.id, to, before, after);
      this.list('transferredIn', before.amount, to, before.id, from, before, after);
    }
  }

  /** Booked where the deal is now, after any transfer. */
  private amountChange(before: DealSnapshot, after: DealSnapshot): void {
    const change = after.amount - before.amount;
    if (change === 0) return;
    this.book(change > 0 ? 'increased' : 'decreased', Math.abs(change), this.placeOf(after.owner), before.id, before, after);
  }

  private book(
    term: MovementTerm,
    amount: MinorUnits,
    place: PipelinePlace,
    dealId: string,
    before: DealSnapshot | null,
    after: DealSnapshot | null,
  ): void {
    for (const entity of this.entitiesOf(place)) entity[term] += amount;
    this.list(term, amount, place, dealId, null, before, after);
  }

  private list(
    term: MovementTerm,
    amount: MinorUnits,
    place: PipelinePlace,
    dealId: string,
    counterpart: PipelinePlace | null,
    opening: DealSnapshot | null,
    closing: DealSnapshot | null,
  ): void {
    this.lists[term].push({ term, dealId, amount, ...place, counterpart, opening, closing });
  }

  private placeOf(owner: string): PipelinePlace {
    let place = this.placeByOwner.get(owner);
    if (!place) {
      const person = this.org.resolveOwner(owner);
      const { team } = this.org.attributedAssignment(person, this.asOf, this.asOf, 'current');
      place = { repId: person.id, team, region: this.org.regionOf(team) };
      this.placeByOwner.set(owner, place);
    }
    return place;
  }

  private entitiesOf(place: PipelinePlace): EntityMovement[] {
    return LEVELS.map((level) => this.entityAt(level, place));
  }

  private entityAt(level: EntityLevel, place: PipelinePlace): EntityMovement {
    const id = level === 'company' ? 'company' : level === 'region' ? place.region : level === 'team' ? place.team : place.repId;
    const key = `${level}\u0000${id}`;
    let entity = this.figures.get(key);
    if (!entity) {
      entity = {
        level,
        id,
        name: this.nameOf(level, id),
        team: level === 'rep' ? place.team : null,
        region: level === 'rep' || level === 'team' ? place.region : null,
        opening: 0,
        closing: 0,
        ...(Object.fromEntries([...INFLOW_TERMS, ...OUTFLOW_TERMS].map((term) => [term, 0])) as Record<MovementTerm, number>),
      };
      this.figures.set(key, entity);
    }
    return entity;
  }

  private nameOf(level: EntityLevel, id: string): string {
    if (level === 'company') return 'Company';
    if (level === 'rep') return this.org.person(id)?.name ?? id;
    return id;
  }
}

/** Σ inflows − Σ outflows + opening: what `closing` must equal. */
export function expectedClosing(figures: MovementFigures): MinorUnits {
  let closing = figures.opening;
  for (const term of INFLOW_TERMS) closing += figures[term];
  for (const term of OUTFLOW_TERMS) closing -= figures[term];
  return closing;
}
