// The Northwind Cloud sample organisation: a deterministic, realistic org for
// the demo, the end-to-end tests and the benchmarks.
export { DEFAULT_AS_OF, DEFAULT_SEED, generateSampleOrg } from './generate-org.js';
export {
  EXPORT_FILES,
  type AccountRow,
  type BadRow,
  type DealDefect,
  type ExportRow,
  type QuotaRow,
  type SampleDeal,
  type SampleOrg,
  type SampleOrgOptions,
} from './model.js';
export { renderSampleUploads, writeSampleUploads, type UploadFile } from './write-uploads.js';
export { MAIL_DOMAIN, ORG_NAME, ORG_TIME_ZONE, type SampleRegion, type SampleSource } from './roster.js';
