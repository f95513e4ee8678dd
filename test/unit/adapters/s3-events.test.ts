import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareSequencers, decodeEventKey, encodeEventKey, objectCreatedRecords, s3EventOfQueueMessage } from '../../../shared/adapters/s3-events.js';
import { matchingRules, NOTIFICATION_RULES, uploadKindOf, ingestReportKeys } from '../../../shared/adapters/bucket-layout.js';

describe('S3 event keys', () => {
  it('encodes like S3: spaces as +, slashes kept, other reserved and non-ASCII characters percent-encoded', () => {
    expect(encodeEventKey('uploads/deals/Q3 report+final (1).csv')).toBe('uploads/deals/Q3+report%2Bfinal+(1).csv');
    expect(encodeEventKey('uploads/people/Müller & Søn.xlsx')).toBe('uploads/people/M%C3%BCller+%26+S%C3%B8n.xlsx');
  });

  it('decodes every key it encodes back to the original', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (key) => decodeEventKey(encodeEventKey(key)) === key));
  });

  it('keeps only object-created records and decodes their keys', () => {
    const record = (eventName: string, key: string) => ({
      eventVersion: '2.1',
      eventSource: 'aws:s3' as const,
      awsRegion: 'us-east-1',
      eventTime: '2026-11-16T12:00:00.000Z',
      eventName,
      userIdentity: { principalId: 'x' },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: {},
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'c',
        bucket: { name: 'b', ownerIdentity: { principalId: 'o' }, arn: 'arn:aws:s3:::b' },
        object: { key, size: 3, eTag: 'e', versionId: 'v1', sequencer: '00A' },
      },
    });
    const created = objectCreatedRecords({ Records: [record('ObjectCreated:Put', 'uploads/deals/a+b.csv'), record('ObjectRemoved:Delete', 'x')] });
    expect(created).toEqual([
      { bucket: 'b', key: 'uploads/deals/a b.csv', size: 3, eTag: 'e', versionId: 'v1', sequencer: '00A', eventTime: '2026-11-16T12:00:00.000Z' },
    ]);
  });
});

describe('sequencers', () => {
  it('compare as hexadecimal values, shorter ones padded', () => {
    expect(compareSequencers('0A', '0B')).toBeLessThan(0);
    expect(compareSequencers('FF', '100')).toBeLessThan(0);
    expect(compareSequencers('0055AED6DCD90281E5', '0055AED6DCD90281E5')).toBe(0);
    expect(compareSequencers('0055aed6dcd90281e6', '0055AED6DCD90281E5')).toBeGreaterThan(0);
  });
});

describe('bucket layout', () => {
  it('routes each upload kind to ingest and nothing else', () => {
    expect(matchingRules('uploads/deals/x.csv')).toEqual([{ function: 'ingest', prefix: 'uploads/deals/' }]);
    expect(matchingRules('uploads/fx/rates.xlsx').map((rule) => rule.function)).toEqual(['ingest']);
    for (const key of ['reports/weekly.xlsx', 'ingest-reports/uploads/deals/x.csv.json', 'metrics/FY2027-Q4/2026-11-16.json', 'uploads/x.csv', 'Uploads/deals/x.csv']) {
      expect(matchingRules(key)).toEqual([]);
    }
    expect(NOTIFICATION_RULES.map((rule) => rule.prefix)).toEqual(['uploads/deals/', 'uploads/people/', 'uploads/quotas/', 'uploads/accounts/', 'uploads/fx/']);
  });

  it('knows the upload kind and the ingest report keys of an upload', () => {
    expect(uploadKindOf('uploads/quotas/FY27.csv')).toBe('quotas');
    expect(uploadKindOf('uploads/other/FY27.csv')).toBeNull();
    expect(ingestReportKeys('uploads/deals/a.csv')).toEqual({
      json: 'ingest-reports/uploads/deals/a.csv.json',
      rejectedCsv: 'ingest-reports/uploads/deals/a.csv.rejected.csv',
    });
  });
});

describe('S3 notifications delivered through SQS', () => {
  it('unwraps the notification, answers null for S3\'s test event, and refuses anything else', () => {
    const notification = { Records: [{ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put' }] };
    expect(s3EventOfQueueMessage(JSON.stringify(notification))).toEqual(notification);
    expect(s3EventOfQueueMessage(JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'b' }))).toBeNull();
    expect(() => s3EventOfQueueMessage('not json')).toThrow(/not JSON/);
    expect(() => s3EventOfQueueMessage(JSON.stringify({ Event: 's3:ObjectCreated:Put' }))).toThrow(/no Records/);
    expect(() => s3EventOfQueueMessage('null')).toThrow(/no Records/);
  });
});
