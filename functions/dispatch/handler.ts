import { CloudWatchMetrics } from '../cloudwatch-metrics.js';
import { runtimeFromEnv } from '../runtime.js';
import { createDispatchHandler } from './dispatch-handler.js';

const metrics = new CloudWatchMetrics();
export const handler = createDispatchHandler(runtimeFromEnv(process.env, metrics), () => metrics.flush());
