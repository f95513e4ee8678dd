import { runtimeFromEnv } from '../runtime.js';
import { createDispatchHandler } from './dispatch-handler.js';

export const handler = createDispatchHandler(runtimeFromEnv());
