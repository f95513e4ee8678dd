import { runtimeFromEnv } from '../runtime.js';
import { createIngestHandler } from './ingest-handler.js';

export const handler = createIngestHandler(runtimeFromEnv());
