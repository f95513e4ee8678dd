// Bench-side metering of DynamoDB reads: a middleware on the client (the
// document client shares its stack) that asks every Query, GetItem,
// BatchGetItem and Scan for its consumed capacity (ReturnConsumedCapacity
// TOTAL) and tallies requests, items returned, their size as DynamoDB counts
// it, the read units the emulator reports and whether the read was strongly
// consistent. Not used by production code.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

const READS = new Set(['QueryCommand', 'GetItemCommand', 'BatchGetItemCommand', 'ScanCommand']);

export interface ReadTally {
  requests: number;
  /** Requests with ConsistentRead: true. */
  consistentRequests: number;
  items: number;
  /** Σ DynamoDB size of the items returned (attribute names + values). */
  bytes: number;
  /** Σ ConsumedCapacity.CapacityUnits. */
  readUnits: number;
  /** Read requests whose response carried no ConsumedCapacity (then read units are incomplete). */
  unmetered: number;
  /** Requests by command and index (e.g. `Query ByCloseMonth`), for the notes. */
  byTarget: Record<string, { requests: number; items: number; bytes: number; readUnits: number }>;
}

function emptyTally(): ReadTally {
  return { requests: 0, consistentRequests: 0, items: 0, bytes: 0, readUnits: 0, unmetered: 0, byTarget: {} };
}

/** Bytes of a number as DynamoDB sizes it: about one byte per two significant digits, plus one. */
function numberSize(text: string): number {
  const digits = text.replace(/^[-+]/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

/**
 * DynamoDB's item size rules for one attribute value, from the document client's native form (strings,
 * numbers, booleans, null, lists, maps, sets, binary): names are counted by the caller.
 */
export function valueSize(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number' || typeof value === 'bigint') return numberSize(String(value));
  if (typeof value === 'boolean' || value === null || value === undefined) return 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...value].reduce((sum: number, element) => sum + valueSize(element), 0);
  // Lists and maps: 3 bytes, plus 1 per element, plus the elements (a map's element names too).
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, element) => sum + 1 + valueSize(element), 0);
  if (typeof value === 'object') return 3 + Object.entries(value).reduce((sum, [name, element]) => sum + 1 + Buffer.byteLength(name) + valueSize(element), 0);
  return 0;
}

/** An item's size as DynamoDB counts it for read and write units: Σ (attribute name bytes + value size). */
export function itemSize(item: Record<string, unknown>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += Buffer.byteLength(name) + valueSize(value);
  return size;
}

interface ReadOutput {
  Items?: Record<string, unknown>[];
  Item?: Record<string, unknown>;
  Responses?: Record<string, Record<string, unknown>[]>;
  ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[];
}

/** Adds the meter to `client`; `take()` returns the tally since the last call. */
export function meterReads(client: DynamoDBClient): { take(): ReadTally } {
  let tally = emptyTally();
  // At the initialize step, outside the document client's (un)marshalling: items arrive in native form.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? '';
      if (!READS.has(command)) return next(args);
      const input = args.input as {
        ConsistentRead?: boolean;
        IndexName?: string;
        RequestItems?: Record<string, { ConsistentRead?: boolean }>;
        ExpressionAttributeValues?: Record<string, unknown>;
        Key?: Record<string, unknown>;
      };
      (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const output = result.output as ReadOutput;
      const items = output.Items ?? (output.Item ? [output.Item] : Object.values(output.Responses ?? {}).flat());
      const bytes = items.reduce((sum, item) => sum + itemSize(item), 0);
      const consistent = input.ConsistentRead === true || Object.values(input.RequestItems ?? {}).some((request) => request.ConsistentRead === true);
      const capacity = [output.ConsumedCapacity ?? []].flat();
      tally.requests += 1;
      tally.consistentRequests += consistent ? 1 : 0;
      tally.items += items.length;
      tally.bytes += bytes;
      if (capacity.length === 0) tally.unmetered += 1;
      const units = capacity.reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
      tally.readUnits += units;
      // E.g. `Query ByCloseMonth CLOSE#`, `Query table QUOTA#`: the command, index and partition family.
      const partition = String(input.ExpressionAttributeValues?.[':pk'] ?? input.Key?.pk ?? '').replace(/#.*$/, '#');
      const target = `${command.replace(/Command$/, '')} ${input.IndexName ?? 'table'} ${partition}`.trim();
      const entry = (tally.byTarget[target] ??= { requests: 0, items: 0, bytes: 0, readUnits: 0 });
      entry.readUnits += units;
      entry.requests += 1;
      entry.items += items.length;
      entry.bytes += bytes;
      return result;
    },
    { step: 'initialize', name: 'benchMeterReads' },
  );
  return {
    take() {
      const taken = tally;
      tally = emptyTally();
      return taken;
    },
  };
}
