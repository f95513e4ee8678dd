import { createDownloadHandler, downloadDependenciesFromEnv } from './download-handler.js';

export const handler = createDownloadHandler(downloadDependenciesFromEnv());
