// Key-account revenue: what each key account won in the period and its
// comparison windows, its share of the company's revenue and its growth.
import { growth, ratio } from './entity-figures.js';
import type { KeyAccountMetrics } from './metrics.js';
import { normaliseName, type FiscalPeriod, type KeyAccount, type MinorUnits } from './types.js';

export class KeyAccountTotals {
  private readonly indexById = new Map<string, number>();
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

  /** The key account index of an account text, or -1. */
  indexOf(account: string): number {
    return this.indexById.get(normaliseName(account)) ?? -1;
  }

  /** Adds a won deal's amount to key account `index` for the windows it closed in. */
  add(index: number, amount: number, inPeriod: boolean, inPrevious: boolean, inLastYear: boolean): void {
    if (inPeriod) {
      this.revenue[index]! += amount;
      this.wonCount[index]! += 1;
    }
    if (inPrevious) this.previous[index]! += amount;
    if (inLastYear) this.lastYear[index]! += amount;
  }

  /** Key accounts by the account codes of one set of deal columns (`accounts` is its dictionary). */
  forAccounts(accounts: readonly string[]): KeyAccountsByCode {
    return new KeyAccountsByCode(this, accounts);
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

const UNRESOLVED = -2;

/** Account code → key account index (-1: none), resolved once per distinct account text. */
export class KeyAccountsByCode {
  private readonly indexOfCode: Int32Array;

  constructor(
    private readonly totals: KeyAccountTotals,
    private readonly accounts: readonly string[],
  ) {
    this.indexOfCode = new Int32Array(accounts.length).fill(UNRESOLVED);
  }

  /** Adds a won deal of account `code` to its key account, if it is one. */
  add(code: number, amount: number, inPeriod: boolean, inPrevious: boolean, inLastYear: boolean): void {
    let index = this.indexOfCode[code]!;
    if (index === UNRESOLVED) index = this.indexOfCode[code] = this.totals.indexOf(this.accounts[code]!);
    if (index >= 0) this.totals.add(index, amount, inPeriod, inPrevious, inLastYear);
  }
}
