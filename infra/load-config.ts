// Finds and validates revperf.config.json for `cdk synth`. A bad config must
// stop the synth before any resource exists, with the schema's message naming
// the field, so nothing half-configured can ever be deployed. A missing config
// stops it too: the example config (a fictitious organisation, its addresses
// and allowlist) is used only when asked for by name or with
// `-c allowExampleConfig=true`, never silently.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { ConfigError, parseConfigText, type RevperfConfig } from '../shared/config/schema.js';

export const CONFIG_FILE = 'revperf.config.json';
export const EXAMPLE_CONFIG_FILE = 'revperf.config.example.json';
/** The cdk context key that lets a synth without revperf.config.json fall back to the example config. */
export const ALLOW_EXAMPLE_CONFIG_CONTEXT = 'allowExampleConfig';

export interface ConfigLocation {
  /** `-c config=<path>` given to cdk, if any. */
  contextPath?: string | undefined;
  /** The REVPERF_CONFIG_FILE environment variable, if set. */
  envPath?: string | undefined;
  /** Where relative paths and the default files are looked up. */
  repoRoot: string;
  /** `-c allowExampleConfig=true`: without revperf.config.json, synthesize the example config (CI, a first look). */
  allowExample?: boolean | undefined;
}

export interface LoadedConfig {
  config: RevperfConfig;
  /** The absolute path the config was read from. */
  path: string;
  /** It is the example config of the repository (asked for by name or allowed by allowExampleConfig). */
  isExample: boolean;
}

/** The message of a synth that found no config: what to do about it. */
export function missingConfigMessage(repoRoot: string): string {
  return [
    `revperf: no ${CONFIG_FILE} in ${repoRoot}, and no -c config=<path> or REVPERF_CONFIG_FILE.`,
    `Create it for your organisation (its name, fiscal year, time zone, mail.from and mail.allowedDomains), either`,
    `    npm run revperf -- init --data <folder of your CRM exports> --out ${CONFIG_FILE}   # revperf init: a starter config guessed from your exports`,
    `or from the example, then edit it:`,
    `    cp ${EXAMPLE_CONFIG_FILE} ${CONFIG_FILE}`,
    `or point at one with -c config=<path>.`,
    `To synthesize the example organisation on purpose (CI, a first look), pass -c ${ALLOW_EXAMPLE_CONFIG_CONTEXT}=true.`,
  ].join('\n');
}

/**
 * The config file to use: an explicit path (context, then environment) wins;
 * otherwise revperf.config.json at the repo root; the example config only when
 * allowExample is set. Throws MissingConfigError (saying what to do) when there is none.
 */
export function resolveConfigPath({ contextPath, envPath, repoRoot, allowExample = false }: ConfigLocation): string {
  const explicit = nonEmpty(contextPath) ?? nonEmpty(envPath);
  if (explicit !== undefined) return isAbsolute(explicit) ? explicit : resolve(repoRoot, explicit);
  const own = resolve(repoRoot, CONFIG_FILE);
  if (existsSync(own)) return own;
  if (allowExample) return resolve(repoRoot, EXAMPLE_CONFIG_FILE);
  throw new MissingConfigError(missingConfigMessage(repoRoot));
}

/** No config file was found and the example was not allowed: the message says how to create one. */
export class MissingConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingConfigError';
  }
}

/** Reads and validates the config; throws MissingConfigError, or ConfigError naming each bad field path. */
export function loadConfig(location: ConfigLocation): LoadedConfig {
  const path = resolveConfigPath(location);
  if (!existsSync(path)) {
    throw new ConfigError(path, ['(root): file not found (set -c config=<path> or REVPERF_CONFIG_FILE, or create revperf.config.json)']);
  }
  const isExample = path === resolve(location.repoRoot, EXAMPLE_CONFIG_FILE);
  return { config: parseConfigText(readFileSync(path, 'utf8'), path), path, isExample };
}

/** A cdk context flag: `-c flag=true` arrives as the string "true", cdk.json may hold a boolean. */
export function contextFlag(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true');
}

/** The line `cdk synth` prints (stderr) so nobody deploys a config without knowing which. */
export function configUsedLine({ path, isExample }: LoadedConfig): string {
  return isExample
    ? `revperf: using the EXAMPLE config ${path} (a fictitious organisation) — create ${CONFIG_FILE} before deploying for real`
    : `revperf: using config ${path}`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
