// What one pack shows: the ReportData cut down to a scope (the whole
// organisation, or one team for its manager), with the deal lists grouped by
// rep once, and the key accounts each rep works on.
//
// Key accounts per rep are derived here: the accounts of the rep's quarter
// wins and open deals that are key accounts (matched on the normalised account
// name, as the metrics engine matches them). The figures shown for such an
// account are its company-wide revenue, share and growth, next to what the rep
// won and holds open in it. The owner of a key account is the rep of the scope
// with the most won revenue in it this quarter, else the most open pipeline.
import type { HygieneDeal, PastDueDeal } from '../../domain/metrics.js';
import type { EntityMetrics, KeyAccountMetrics } from '../../domain/metrics.js';
import { UNASSIGNED } from '../../domain/org-chart.js';
import type { EntityMovement } from '../../domain/pipeline-movement.js';
import { normaliseName, type MinorUnits } from '../../domain/types.js';
import type { DealLine, ReportData, ReportScope, TrendPoint } from '../report-data.js';

export interface AccountInScope {
  account: KeyAccountMetrics;
  /** Won this quarter in the scope (or by the rep). */
  won: MinorUnits;
  /** Open pipeline in the scope (or of the rep), any close date. */
  open: MinorUnits;
  /** The owner's name, or null when nobody in the scope has won or open deals in it. */
  owner: string | null;
}

export interface RepDeals {
  open: DealLine[];
  wins: DealLine[];
  slipped: DealLine[];
  /** Open deals whose close date was pushed at least once, most pushes first. */
  pushed: DealLine[];
}

export interface ScopedPack {
  scope: ReportScope;
  /** The organisation's name or the team's. */
  scopeName: string;
  /** The company or the team. */
  scopeEntity: EntityMetrics;
  /** Company, regions and teams (organisation pack); the team and its reps (team pack). */
  summaryEntities: EntityMetrics[];
  /** Reps that get a page, in the export's order (by team, then name); Unassigned is no rep. */
  reps: EntityMetrics[];
  teams: Map<string, EntityMetrics>;
  open: DealLine[];
  quarterWins: DealLine[];
  pastDue: PastDueDeal[];
  undated: HygieneDeal[];
  /** Key accounts touched by the scope's deals (organisation pack: every key account), biggest revenue first. */
  keyAccounts: AccountInScope[];
  movement: EntityMovement | null;
  dealsOf(repId: string): RepDeals;
  keyAccountsOf(repId: string): AccountInScope[];
  trendOf(entity: EntityMetrics): TrendPoint[];
}

export function scopePack(data: ReportData, scope: ReportScope): ScopedPack {
  if (scope.level === 'rep') throw new Error('the pre-review pack is made for the organisation or a team, not one rep');
  const entities = data.metrics.entities;
  const company = entities.find((entity) => entity.level === 'company');
  if (company === undefined) throw new Error('the metrics export has no company figures');
  let scopeEntity = company;
  let inScope: (deal: { team: string }) => boolean = () => true;
  let summaryEntities = entities.filter((entity) => entity.level !== 'rep');
  if (scope.level === 'team') {
    const team = entities.find((entity) => entity.level === 'team' && entity.id === scope.team);
    if (team === undefined) throw new Error(`no team '${scope.team}' in the metrics of ${data.metrics.period.id}`);
    scopeEntity = team;
    inScope = (deal) => deal.team === scope.team;
    summaryEntities = [team, ...entities.filter((entity) => entity.level === 'rep' && entity.team === scope.team)];
  }
  const reps = entities.filter((entity) => entity.level === 'rep' && entity.id !== UNASSIGNED.id && (scope.level === 'company' || entity.team === scope.team));
  const teams = new Map(entities.filter((entity) => entity.level === 'team').map((entity) => [entity.id, entity]));

  const open = scope.level === 'company' ? data.deals.open : data.deals.open.filter(inScope);
  const quarterWins = scope.level === 'company' ? data.deals.quarterWins : data.deals.quarterWins.filter(inScope);
  const slipped = data.deals.slipped.filter(inScope);
  const byRep = new Map<string, RepDeals>();
  const repDeals = (repId: string): RepDeals => {
    let deals = byRep.get(repId);
    if (deals === undefined) byRep.set(repId, (deals = { open: [], wins: [], slipped: [], pushed: [] }));
    return deals;
  };
  for (const deal of open) repDeals(deal.repId).open.push(deal);
  for (const deal of quarterWins) repDeals(deal.repId).wins.push(deal);
  for (const deal of slipped) repDeals(deal.repId).slipped.push(deal);
  for (const deal of data.deals.pushed ?? []) if (inScope(deal)) repDeals(deal.repId).pushed.push(deal);

  // Each deal's account is looked up once; a rep's key accounts then come from its few key-account deals.
  const keyAccounts = new KeyAccountIndex(data.metrics.keyAccounts);
  const keyOpen = open.filter((deal) => keyAccounts.of(deal.account) !== null);
  const keyWins = quarterWins.filter((deal) => keyAccounts.of(deal.account) !== null);
  const keyDealsByRep = new Map<string, RepDeals>();
  for (const [list, field] of [[keyOpen, 'open'], [keyWins, 'wins']] as const) {
    for (const deal of list) {
      let deals = keyDealsByRep.get(deal.repId);
      if (deals === undefined) keyDealsByRep.set(deal.repId, (deals = { open: [], wins: [], slipped: [], pushed: [] }));
      deals[field].push(deal);
    }
  }
  const scopeAccounts = keyAccounts.summarise(keyOpen, keyWins);
  const trend = new Map(data.trend.entities.map((entry) => [`${entry.level}\u0000${entry.id}`, entry.points]));
  const movement = data.movement?.entities.find((entry) => entry.level === scopeEntity.level && entry.id === scopeEntity.id) ?? null;

  return {
    scope,
    scopeName: scope.level === 'company' ? data.metrics.org : scope.team,
    scopeEntity,
    summaryEntities,
    reps,
    teams,
    open,
    quarterWins,
    pastDue: data.metrics.pastDueDeals.filter(inScope),
    undated: data.metrics.undatedOpenDeals.filter(inScope),
    keyAccounts:
      scope.level === 'company'
        ? data.metrics.keyAccounts.map((account) => scopeAccounts.find((row) => row.account.id === account.id) ?? { account, won: 0, open: 0, owner: null })
        : scopeAccounts,
    movement,
    dealsOf: (repId) => byRep.get(repId) ?? { open: [], wins: [], slipped: [], pushed: [] },
    keyAccountsOf: (repId) => {
      const deals = keyDealsByRep.get(repId);
      return deals === undefined ? [] : keyAccounts.summarise(deals.open, deals.wins);
    },
    trendOf: (entity) => trend.get(`${entity.level}\u0000${entity.id}`) ?? [],
  };
}

class KeyAccountIndex {
  readonly #byId: Map<string, KeyAccountMetrics>;
  /** Raw account text → key account or null: deals repeat the same account names. */
  readonly #byText = new Map<string, KeyAccountMetrics | null>();

  constructor(accounts: readonly KeyAccountMetrics[]) {
    this.#byId = new Map(accounts.map((account) => [account.id, account]));
  }

  of(text: string): KeyAccountMetrics | null {
    let account = this.#byText.get(text);
    if (account === undefined) {
      account = this.#byId.get(normaliseName(text)) ?? null;
      this.#byText.set(text, account);
    }
    return account;
  }

  /** The key accounts of these deals with the amounts won and open in them and their owner; biggest company revenue first. */
  summarise(open: readonly DealLine[], wins: readonly DealLine[]): AccountInScope[] {
    if (this.#byId.size === 0) return [];
    const rows = new Map<string, { account: KeyAccountMetrics; won: number; open: number; wonBy: Map<string, number>; openBy: Map<string, number> }>();
    const add = (deal: DealLine, field: 'won' | 'open') => {
      const account = this.of(deal.account);
      if (account === null) return;
      let row = rows.get(account.id);
      if (row === undefined) rows.set(account.id, (row = { account, won: 0, open: 0, wonBy: new Map(), openBy: new Map() }));
      row[field] += deal.amount;
      const by = field === 'won' ? row.wonBy : row.openBy;
      by.set(deal.repName, (by.get(deal.repName) ?? 0) + deal.amount);
    };
    for (const deal of wins) add(deal, 'won');
    for (const deal of open) add(deal, 'open');
    return [...rows.values()]
      .map((row) => ({ account: row.account, won: row.won, open: row.open, owner: leader(row.wonBy) ?? leader(row.openBy) }))
      .sort((a, b) => b.account.revenue - a.account.revenue || b.won + b.open - (a.won + a.open) || compare(a.account.name, b.account.name));
  }
}

function leader(amounts: Map<string, number>): string | null {
  let best: string | null = null;
  let bestAmount = 0;
  for (const [name, amount] of amounts) {
    if (amount > bestAmount || (amount === bestAmount && best !== null && name < best)) {
      best = name;
      bestAmount = amount;
    }
  }
  return best;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
