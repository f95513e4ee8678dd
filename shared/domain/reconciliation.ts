// Every accepted row either counts or is named: per upload kind, the rows a
// report read, how many it used (deals counted in some figure for a real
// person, quotas applied to an entity of the org, people placed in the org
// chart) and every unused row grouped by why. `loaded = used + Σ unused.count`
// always holds; a report whose unused list is empty used everything it read.
export type ReconciledKind = 'deals' | 'quotas' | 'people';

export interface UnusedRows {
  /** Stable machine code, e.g. `owner-unmatched`, `quota-person-ambiguous`. */
  code: string;
  /** A sentence saying what the rows are, why they count for no one, and what to do. */
  reason: string;
  count: number;
  /** The rows (or the first 20 of them), described as a user would find them. */
  examples: string[];
}

export interface KindReconciliation {
  kind: ReconciledKind;
  loaded: number;
  used: number;
  unused: UnusedRows[];
}

export type Reconciliation = Record<ReconciledKind, KindReconciliation>;

export const MAX_EXAMPLES = 20;

/** Collects unused rows by code and reason; `loaded` is what the report read. */
export class UnusedRowsBook {
  private readonly groups = new Map<string, UnusedRows>();

  add(code: string, reason: string, example: string, count = 1): void {
    const key = `${code}\u0000${reason}`;
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = { code, reason, count: 0, examples: [] }));
    group.count += count;
    if (group.examples.length < MAX_EXAMPLES) group.examples.push(example);
  }

  reconcile(kind: ReconciledKind, loaded: number): KindReconciliation {
    const unused = [...this.groups.values()].sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
    const unusedCount = unused.reduce((sum, group) => sum + group.count, 0);
    if (unusedCount > loaded) throw new RangeError(`reconciliation of ${kind}: ${unusedCount} unused of ${loaded} loaded`);
    return { kind, loaded, used: loaded - unusedCount, unused };
  }
}
