// The stateful half of revperf: the bucket (uploads in, ingest reports and
// reports out) and the table. Both are retained when the stack is deleted:
// they hold the organisation's sales history, which a redeploy must never lose.
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  Table,
  TableEncryption,
  type ITable,
} from 'aws-cdk-lib/aws-dynamodb';
import { BlockPublicAccess, Bucket, BucketEncryption, StorageClass, type IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { PREFIXES } from '../shared/adapters/bucket-layout.js';
import { ALL_INDEXES, TABLE_KEYS, TTL_ATTRIBUTE } from '../shared/adapters/table-design.js';

/** Raw CRM exports stay readable for a fiscal year and the quarter after it, then expire. */
const UPLOAD_RETENTION = Duration.days(400);
/** Uploads are read once by ingest, rarely afterwards. */
const UPLOAD_INFREQUENT_ACCESS_AFTER = Duration.days(30);
/** A re-uploaded export keeps its previous version this long, for a re-ingest or an audit. */
const REPLACED_UPLOAD_RETENTION = Duration.days(90);
const ACCESS_LOG_RETENTION = Duration.days(365);

export class DataStack extends Stack {
  readonly bucket: IBucket;
  readonly table: ITable;

  constructor(scope: Construct, id: string, props?: StackProps) {
    // Termination protection: deleting this stack takes a deliberate extra step
    // (the bucket and table are retained anyway, but their stack is the map to them).
    super(scope, id, { terminationProtection: true, ...props });
    this.bucket = this.createBucket();
    this.table = this.createTable();
    new CfnOutput(this, 'BucketName', {
      value: this.bucket.bucketName,
      description: 'The revperf bucket: upload CRM exports under uploads/<kind>/; ingest reports, metrics and reports are written next to them (REVPERF_BUCKET_NAME for revperf --stack)',
    });
    new CfnOutput(this, 'TableName', {
      value: this.table.tableName,
      description: 'The revperf table: deals, people, quotas, snapshots and the ledgers (REVPERF_TABLE_NAME for revperf --stack)',
    });
  }

  private createBucket(): IBucket {
    const accessLogs = new Bucket(this, 'AccessLogsBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // S3 server access logging can only deliver to SSE-S3 encrypted buckets.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: ACCESS_LOG_RETENTION }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the server access log bucket of the revperf bucket; logging access to it would need yet another log bucket (or a loop into itself). Its objects are written only by the S3 logging service.',
    });

    return new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'revperf-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
      // ingest-reports/, reports/ and metrics/ have no expiry: they are the record of what was accepted and sent.
      lifecycleRules: [
        {
          id: 'age-uploads',
          prefix: PREFIXES.uploads,
          transitions: [{ storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: UPLOAD_INFREQUENT_ACCESS_AFTER }],
          expiration: UPLOAD_RETENTION,
          noncurrentVersionExpiration: REPLACED_UPLOAD_RETENTION,
        },
        { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
        { id: 'remove-expired-delete-markers', expiredObjectDeleteMarker: true },
      ],
    });
  }

  private createTable(): ITable {
    const table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TTL_ATTRIBUTE,
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of ALL_INDEXES) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        ...(index.projection.type === 'ALL'
          ? { projectionType: ProjectionType.ALL }
          : { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...index.projection.attributes] }),
      });
    }
    return table;
  }
}
