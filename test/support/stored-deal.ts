// A stored deal for tests that write deals straight into the table: the
// fields a test cares about given, the rest a plain Salesforce deal.
import type { StoredDeal } from '../../shared/domain/types.js';

const STAGE_OF: Record<StoredDeal['stageClass'], string> = { open: 'Proposal', won: 'Closed Won', lost: 'Closed Lost' };
const PROBABILITY_OF: Record<StoredDeal['stageClass'], number> = { open: 0.5, won: 1, lost: 0 };

export function storedDeal(fields: Pick<StoredDeal, 'id' | 'stageClass' | 'closeDate'> & Partial<StoredDeal>): StoredDeal {
  const amount = fields.amount ?? 100_000;
  return {
    name: fields.id,
    account: 'Acme',
    owner: 'Ana García',
    stage: STAGE_OF[fields.stageClass],
    probability: PROBABILITY_OF[fields.stageClass],
    amount,
    currency: 'USD',
    originalAmount: amount,
    createdDate: null,
    pipeline: null,
    lastActivityDate: null,
    source: 'salesforce',
    scope: '#salesforce',
    uploadKey: 'uploads/deals/seed.csv',
    lastSeenIn: 'seed',
    removed: false,
    ...fields,
  };
}
