import { runtimeFromEnv } from '../runtime.js';
import { createIngestQueueHandler } from './ingest-handler.js';

export const handler = createIngestQueueHandler(runtimeFromEnv());
