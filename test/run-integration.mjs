#!/usr/bin/env node
// npm run test:integration [-- --ddb=local|dynalite] [vitest options and files]
// --ddb picks the DynamoDB emulator (the same as REVPERF_DDB=…, which it overrides); everything
// else goes to `vitest run --project integration` unchanged.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rest = [];
const env = { ...process.env };
const args = process.argv.slice(2);
for (let index = 0; index < args.length; index += 1) {
  const arg = args[index];
  const value = arg === '--ddb' ? args[++index] : arg.startsWith('--ddb=') ? arg.slice('--ddb='.length) : undefined;
  if (value === undefined) {
    rest.push(arg);
    continue;
  }
  if (value !== 'local' && value !== 'dynalite') {
    console.error(`--ddb must be local (AWS's DynamoDB Local) or dynalite (the default), not '${value ?? ''}'`);
    process.exit(2);
  }
  env.REVPERF_DDB = value;
}

const vitest = spawn(join(root, 'node_modules', '.bin', 'vitest'), ['run', '--project', 'integration', ...rest], { cwd: root, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => vitest.kill(signal));
vitest.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
