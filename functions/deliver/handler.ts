import { CloudWatchMetrics } from '../cloudwatch-metrics.js';
import { runtimeFromEnv } from '../runtime.js';
import { createDeliverHandler } from './deliver-handler.js';

const metrics = new CloudWatchMetrics();
export const handler = createDeliverHandler(runtimeFromEnv(process.env, metrics), () => metrics.flush());
