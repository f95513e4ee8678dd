// Finds and validates revperf.config.json for `cdk synth`. A bad config must
// stop the synth before any resource exists, with the schema's message naming
// the field, so nothing half-configured can ever be deployed.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { ConfigError, parseConfigText, type RevperfConfig } from '../shared/config/schema.js';

export const CONFIG_FILE = 'revperf.config.json';
export const EXAMPLE_CONFIG_FILE = 'revperf.config.example.json';

export interface ConfigLocation {
  /** `-c config=<path>` given to cdk, if any. */
  contextPath?: string | undefined;
  /** The REVPERF_CONFIG_FILE environment variable, if set (REVPERF_CONFIG is the config JSON the functions receive). */
  envPath?: string | undefined;
  /** Where relative paths and the default files are looked up. */
  repoRoot: string;
}

export interface LoadedConfig {
  config: RevperfConfig;
  /** The absolute path the config was read from. */
  path: string;
}

/**
 * The config file to use: an explicit path (context, then environment) wins;
 * otherwise revperf.config.json at the repo root, else the example config so a
 * fresh clone synthesizes without any setup.
 */
export function resolveConfigPath({ contextPath, envPath, repoRoot }: ConfigLocation): string {
  const explicit = nonEmpty(contextPath) ?? nonEmpty(envPath);
  if (explicit !== undefined) return isAbsolute(explicit) ? explicit : resolve(repoRoot, explicit);
  const own = resolve(repoRoot, CONFIG_FILE);
  return existsSync(own) ? own : resolve(repoRoot, EXAMPLE_CONFIG_FILE);
}

/** Reads and validates the config; throws ConfigError (naming each bad field path) when it cannot be used. */
export function loadConfig(location: ConfigLocation): LoadedConfig {
  const path = resolveConfigPath(location);
  if (!existsSync(path)) {
    throw new ConfigError(path, ['(root): file not found (set -c config=<path> or REVPERF_CONFIG_FILE, or create revperf.config.json)']);
  }
  return { config: parseConfigText(readFileSync(path, 'utf8'), path), path };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
