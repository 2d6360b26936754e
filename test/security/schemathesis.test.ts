import { execFile, execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { bearer } from '../helpers/api';
import { bundleWorkflows, createDevServerEnv } from '../helpers/environments';
import { startStack, type Stack } from '../helpers/stack';

/**
 * Schemathesis (PyPI, pinned; a cached virtualenv outside the clone via scripts/ensure-schemathesis.sh) generates
 * requests from /openapi.json against the real stack on the dev server: bounded examples per operation, and the only
 * check that must hold everywhere is "no 5xx". Conformance checks stay with the API's own tests.
 */
describe('Schemathesis against /openapi.json', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;
  let stack: Stack;
  let st: string;

  beforeAll(async () => {
    st = execFileSync('bash', [resolve(__dirname, '../../scripts/ensure-schemathesis.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
    [env, bundle] = await Promise.all([createDevServerEnv(), bundleWorkflows()]);
    stack = await startStack({ env, bundle });
  });
  afterAll(async () => {
    await stack?.close();
    await env?.teardown();
  });

  it('finds no server error in a bounded run', async () => {
    const args = [
      'run', `${stack.apiUrl}/openapi.json`,
      '--checks', 'not_a_server_error',
      '--max-examples', process.env.SCHEMATHESIS_MAX_EXAMPLES ?? '15',
      '--seed', '20261201',
      '--workers', '1',
      '--request-timeout', '20',
      '--phases', 'examples,coverage,fuzzing',
      '--header', `Authorization: ${bearer()}`,
      '--header', 'Idempotency-Key: schemathesis-fixed-key',
      '--exclude-path', '/metrics',
      '--no-color',
    ];
    const { code, output } = await new Promise<{ code: number; output: string }>((done) => {
      execFile(st, args, { timeout: 150_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, SCHEMATHESIS_HOOKS: '' } }, (err, stdout, stderr) =>
        done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: `${stdout}\n${stderr}` }),
      );
    });
    const cases = /(\d+) generated, (\d+) passed/.exec(output);
    const errors = /Errors:\n([\s\S]*?)\n\n/.exec(output)?.[1]?.trim().split('\n').map((l) => l.trim()) ?? [];
    // The one tolerated error: Hypothesis cannot generate from the query's Unicode-class regex (`\p{Cc}`), so that
    // operation's fuzzing is skipped (its examples and coverage phases still run); Schemathesis exits 1 for it.
    const tolerated = errors.every((e) => /Schema Error: 1/.test(e)) && /Unsupported regex patterns: 1 operation/.test(output);
    if (!cases || cases[1] !== cases[2] || !tolerated) console.log(output.slice(-6000));
    expect(output).not.toMatch(/Server error/i);
    expect(cases).not.toBeNull();
    expect(Number(cases![1])).toBeGreaterThan(100);
    expect(cases![2]).toBe(cases![1]);
    expect(code === 0 || tolerated).toBe(true);
  }, 200_000);
});
