// SDK v3 clients, built once per process. In Lambda the defaults apply; the
// local stack passes loopback endpoints and the emulators' quirks.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';

export interface AwsEndpoints {
  region: string;
  dynamodb?: string;
  s3?: string;
  ses?: string;
  /** SQS has no emulator here: tests point it at a stand-in. */
  sqs?: string;
  /** Secrets Manager has no emulator either: only the bundle test's stand-in sets it. */
  secretsManager?: string;
  /** Static credentials for emulators; absent = the default provider chain (Lambda's role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** s3rver wants its own credentials. */
  s3Credentials?: { accessKeyId: string; secretAccessKey: string };
}

export interface AwsClients {
  dynamodb: DynamoDBClient;
  documents: DynamoDBDocumentClient;
  s3: S3Client;
  ses: SESv2Client;
}

export function createAwsClients(endpoints: AwsEndpoints): AwsClients {
  const dynamodb = new DynamoDBClient({
    region: endpoints.region,
    endpoint: endpoints.dynamodb,
    credentials: endpoints.credentials,
    maxAttempts: 5,
  });
  const documents = DynamoDBDocumentClient.from(dynamodb, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  const s3 = createS3Client(endpoints);
  // One attempt per call: SesMailer decides what may be sent again (a timeout may have delivered the message).
  const ses = new SESv2Client({ region: endpoints.region, endpoint: endpoints.ses, credentials: endpoints.credentials, maxAttempts: 1 });
  return { dynamodb, documents, s3, ses };
}

/** The S3 client alone (the download function needs nothing else). */
export function createS3Client(endpoints: AwsEndpoints): S3Client {
  return new S3Client({
    region: endpoints.region,
    endpoint: endpoints.s3,
    credentials: endpoints.s3Credentials ?? endpoints.credentials,
    forcePathStyle: endpoints.s3 !== undefined,
    // s3rver stores streamed bodies corrupted when the SDK adds its default
    // trailing checksums; real S3 does not need them either.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** Endpoints from the environment: Lambda sets none; the local runner may set REVPERF_*_ENDPOINT. */
export function endpointsFromEnv(env: NodeJS.ProcessEnv = process.env): AwsEndpoints {
  return {
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    dynamodb: env.REVPERF_DYNAMODB_ENDPOINT,
    s3: env.REVPERF_S3_ENDPOINT,
    ses: env.REVPERF_SES_ENDPOINT,
    sqs: env.REVPERF_SQS_ENDPOINT,
    secretsManager: env.REVPERF_SECRETSMANAGER_ENDPOINT,
  };
}
