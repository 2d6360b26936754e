import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const script = resolve(__dirname, '../../scripts/temporal.sh');

/** Path of a Temporal server executable: the env override that `npm test` exports, else scripts/temporal.sh resolves it. */
export function temporalExecutable(kind: 'cli' | 'test-server'): string {
  const fromEnv = kind === 'cli' ? process.env.TEMPORAL_CLI_PATH : process.env.TEMPORAL_TEST_SERVER_PATH;
  if (fromEnv) return fromEnv;
  return execFileSync('bash', [script, kind], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}
