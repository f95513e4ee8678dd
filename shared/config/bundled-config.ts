// Where a deployed function finds its config: the validated revperf.config.json
// that `cdk synth` writes next to the function's bundle (index.mjs), read once
// at cold start. Not an environment variable: Lambda allows 4 KB of those in
// total, and a real config (stage rules, mappings, key accounts) outgrows it.
// REVPERF_CONFIG (the config JSON) overrides it, for local runs and tests that
// run a handler without a bundle. Pure names: infra and functions share them.

/** The file next to index.mjs in each function's asset. */
export const BUNDLED_CONFIG_FILE = 'revperf.config.json';

/** The override: the config JSON itself, for a handler run outside its bundle. The stack never sets it. */
export const CONFIG_OVERRIDE_VARIABLE = 'REVPERF_CONFIG';
