// The IAM write families of each role (shared/adapters/table-access.ts, turned
// into dynamodb:LeadingKeys conditions by the stack) hold against what the
// code really writes: ingest, dispatch and deliver run for real against the
// embedded DynamoDB, every request is recorded at the SDK, and each must use
// only the actions its role has and write only partition keys of its families
// — otherwise the deployed function would get AccessDenied.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatchHandler } from '../../functions/dispatch/dispatch-handler.js';
import { createAwsClients } from '../../shared/adapters/aws-clients.js';
import { partitionMatches, TABLE_READ_ACTIONS, TABLE_WRITE_ACTIONS, TABLE_WRITE_PARTITIONS, type TableWriter } from '../../shared/adapters/table-access.js';
import { startLocalStack, TEST_CONFIG, type LocalStack } from './harness.js';

interface Request {
  role: TableWriter;
  action: string;
  partitionKeys: string[];
}

type AttributeMap = Record<string, { S?: string }>;

/** The partition keys a marshalled request names (for writes: every item written or deleted). */
function partitionKeysOf(input: Record<string, any>): string[] {
  const pk = (item: AttributeMap | undefined) => (item?.pk?.S === undefined ? [] : [item.pk.S]);
  if (input.RequestItems) {
    return Object.values(input.RequestItems as Record<string, any[]>).flatMap((requests) =>
      requests.flatMap((request) => [...pk(request.PutRequest?.Item), ...pk(request.DeleteRequest?.Key)]),
    );
  }
  return [...pk(input.Item), ...pk(input.Key)];
}

/** Records every request a client sends, marshalled (build step), under the role `roleOf()` names at that moment. */
function record(client: DynamoDBClient, roleOf: () => TableWriter, requests: Request[]): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      requests.push({ role: roleOf(), action: `dynamodb:${String(context.commandName).replace(/Command$/, '')}`, partitionKeys: partitionKeysOf(args.input as Record<string, any>) });
      return next(args);
    },
    { step: 'build', name: 'recordTableRequests' },
  );
}

const PEOPLE = ['Name,Email,Team,Region,Role', 'Ana García,ana.garcia@northwind.example,Enterprise,Americas,rep', 'Ben Okafor,ben.okafor@northwind.example,Enterprise,Americas,rep'].join('\n');
const QUOTAS = ['Rep,Period,Quota', 'ana.garcia@northwind.example,FY2027-Q4,"$100,000"', 'ben.okafor@northwind.example,FY2027-Q4,"$80,000"'].join('\n');
const HEADER = 'Opportunity ID,Opportunity Name,Account Name,Opportunity Owner,Stage,Amount,Opportunity Currency,Close Date,Created Date';
const DEALS = [
  'W1,Win one,Contoso,Ana García,Closed Won,"$20,000.00",USD,11/03/2026,09/01/2026',
  'O1,Open,Contoso,Ana García,Negotiation/Review,"$30,000.00",USD,12/15/2026,10/01/2026',
  'O2,Open two,Tailspin,Ben Okafor,Proposal/Price Quote,"$12,000.00",USD,12/01/2026,10/05/2026',
];

describe('table writes by role, as the code makes them', () => {
  let stack: LocalStack;
  const requests: Request[] = [];
  let baseRole: TableWriter = 'ingest';

  beforeAll(async () => {
    stack = await startLocalStack({ ...TEST_CONFIG, mail: { ...TEST_CONFIG.mail, leadership: ['vp.sales@northwind.example'] } });
    // The stack's own client serves ingest (uploads) and the in-process delivery worker (during the dispatch).
    record(stack.aws.clients.dynamodb, () => baseRole, requests);
    await stack.upload('uploads/people/people.csv', PEOPLE);
    await stack.upload('uploads/quotas/quotas.csv', QUOTAS);
    await stack.upload('uploads/deals/opportunities.csv', [HEADER, ...DEALS].join('\n'));
    // A full export without O2 (marks it removed) and a people file without Ben (deletes him): the update and delete paths.
    await stack.upload('uploads/deals/opportunities.csv', [HEADER, ...DEALS.slice(0, 2)].join('\n'));
    await stack.upload('uploads/people/people.csv', PEOPLE.split('\n').slice(0, 2).join('\n'));

    // Dispatch on a client of its own; the jobs it queues are delivered in process on the stack's client.
    const dispatchClients = createAwsClients(stack.aws.endpoints);
    record(dispatchClients.dynamodb, () => 'dispatch', requests);
    const dispatchDocuments = dispatchClients.documents;
    baseRole = 'deliver';
    await createDispatchHandler(stack.runtimeWith(dispatchDocuments))({ scheduledTime: '2026-11-16T12:00:00Z' });
    baseRole = 'ingest';
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('ran every role, deliver included', () => {
    expect(stack.delivery.outcomes.length).toBeGreaterThan(0);
    expect(stack.delivery.failures).toEqual([]);
    for (const role of ['ingest', 'dispatch', 'deliver'] as const) {
      expect(requests.filter((request) => request.role === role && TABLE_WRITE_ACTIONS[role].includes(request.action)).length, role).toBeGreaterThan(0);
    }
  });

  it('uses only the actions each role is granted (GetItem and Query to read, its write actions to write)', () => {
    for (const request of requests) {
      expect([...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS[request.role]], `${request.role} ${request.action}`).toContain(request.action);
    }
  });

  it('writes only partition keys of its own item families (what dynamodb:LeadingKeys allows)', () => {
    const writes = requests.filter((request) => TABLE_WRITE_ACTIONS[request.role].includes(request.action));
    for (const write of writes) {
      expect(write.partitionKeys.length, `${write.role} ${write.action} names its keys`).toBeGreaterThan(0);
      for (const key of write.partitionKeys) {
        expect(TABLE_WRITE_PARTITIONS[write.role].some((pattern) => partitionMatches(pattern, key)), `${write.role} ${write.action} ${key}`).toBe(true);
      }
    }
    const written = (role: TableWriter) => new Set(writes.filter((write) => write.role === role).flatMap((write) => write.partitionKeys.map((key) => key.split('#')[0])));
    expect([...written('ingest')]).toEqual(expect.arrayContaining(['DEAL', 'PERSON', 'QUOTA', 'LEDGER']));
    expect([...written('dispatch')]).toEqual(expect.arrayContaining(['SNAPSHOT', 'DISPATCH']));
    expect([...written('deliver')]).toEqual(['SENDS']);
  });
});
