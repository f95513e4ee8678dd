// Key-account revenue: what each key account won in the period and its
// comparison windows, its share of the company's revenue and its growth.
import { growth, ratio } from './entity-figures.js';
import type { KeyAccountMetrics } from './metrics.js';
import { normaliseName, type Deal, type FiscalPeriod, type KeyAccount, type MinorUnits } from './types.js';

export class KeyAccountTotals {
  private readonly indexById = new Map<string, number>();
  /** Raw account text → key account index or -1; deals repeat the same few account names. */
  private readonly indexByAccount = new Map<string, number>();
  private readonly revenue: number[];
  private readonly wonCount: number[];
  private readonly previous: number[];
  private readonly lastYear: number[];

  constructor(private readonly accounts: readonly KeyAccount[]) {
    accounts.forEach((account, index) => this.indexById.set(account.id, index));
    this.revenue = accounts.map(() => 0);
    this.wonCount = accounts.map(() => 0);
    this.previous = accounts.map(() => 0);
    this.lastYear = accounts.map(() => 0);
  }

  add(deal: Deal, inPeriod: boolean, inPrevious: boolean, inLastYear: boolean): void {
    let index = this.indexByAccount.get(deal.account);
    if (index === undefined) {
      index = this.indexById.get(normaliseName(deal.account)) ?? -1;
      this.indexByAccount.set(deal.account, index);
    }
    if (index < 0) return;
    if (inPeriod) {
      this.revenue[index]! += deal.amount;
      this.wonCount[index]! += 1;
    }
    if (inPrevious) this.previous[index]! += deal.amount;
    if (inLastYear) this.lastYear[index]! += deal.amount;
  }

  metrics(companyRevenue: MinorUnits, kind: FiscalPeriod['kind']): KeyAccountMetrics[] {
    return this.accounts
      .map((account, index) => {
        const revenue = this.revenue[index]!;
        const previousPeriod = this.previous[index]!;
        const lastYear = this.lastYear[index]!;
        return {
          id: account.id,
          name: account.name,
          tier: account.tier,
          revenue,
          wonCount: this.wonCount[index]!,
          shareOfRevenue: ratio(revenue, companyRevenue),
          growthQoQ: kind === 'quarter' ? growth(revenue, previousPeriod) : null,
          growthYoY: growth(revenue, lastYear),
          revenueComparisons: { previousPeriod, lastYear },
        };
      })
      .sort((a, b) => b.revenue - a.revenue || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
