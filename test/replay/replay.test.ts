import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { bundleWorkflows } from '../helpers/environments';

// Replays every committed subscription history against the current workflow code: a change that would make a
// running subscription non-deterministic fails here. Refresh with `npm run histories:record` when a change is
// intentional (and guard it with patched() if such workflows may be running in production).
const dir = resolve(__dirname, '../fixtures/histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

/**
 * JSON written by `JSON.stringify(await handle.fetchHistory())`. Not `historyFromJSON`: in this install
 * @temporalio/common nests protobufjs 8 while @temporalio/proto uses 7, and protojson then rejects the type.
 */
const loadHistory = (file: string): temporal.api.history.v1.History =>
  temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(resolve(dir, file), 'utf8')) as Record<string, unknown>);

// Bundling plus replaying every history takes longer than jest's 5 s default.
jest.setTimeout(120_000);

describe('replay of committed subscription histories', () => {
  beforeAll(() => {
    try {
      Runtime.install({ logger: new DefaultLogger('WARN') });
    } catch {
      // Already installed by another suite in this process.
    }
  });

  it('has histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  it('replays every history without a determinism error', async () => {
    const workflowBundle = await bundleWorkflows();
    const histories = files.map((f) => ({ workflowId: f.replace(/\.json$/, ''), history: loadHistory(f) }));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});
