import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { bundleWorkflows } from '../helpers/environments';

// Replays every committed subscription history against the current workflow code: a change that would make a
// running subscription non-deterministic fails here. Release 0.1.0's histories stay where they were recorded, at the
// top of test/fixtures/histories/; each later release adds a directory of its own (`v<version>/`). Histories are
// never moved, deleted or re-recorded; a change that breaks an old one is fixed with patched().
const root = resolve(__dirname, '../fixtures/histories');
const FIRST_RELEASE = '';
const versions = [
  FIRST_RELEASE,
  ...readdirSync(root)
    .filter((d) => statSync(resolve(root, d)).isDirectory())
    .sort(),
];
const files = versions.flatMap((v) =>
  readdirSync(resolve(root, v))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => (v === FIRST_RELEASE ? f : `${v}/${f}`)),
);

/**
 * JSON written by `JSON.stringify(await handle.fetchHistory())`. Not `historyFromJSON`: in this install
 * @temporalio/common nests protobufjs 8 while @temporalio/proto uses 7, and protojson then rejects the type.
 */
const loadHistory = (file: string): temporal.api.history.v1.History =>
  temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(resolve(root, file), 'utf8')) as Record<string, unknown>);

// Bundling plus replaying every history takes longer than jest's 5 s default.
jest.setTimeout(180_000);

describe('replay of committed subscription histories (every version)', () => {
  beforeAll(() => {
    try {
      Runtime.install({ logger: new DefaultLogger('WARN') });
    } catch {
      // Already installed by another suite in this process.
    }
  });

  it('has histories of the first release to replay', () => {
    expect(files.filter((f) => !f.includes('/')).length).toBeGreaterThanOrEqual(21);
  });

  it('replays every history of every version without a determinism error', async () => {
    const workflowBundle = await bundleWorkflows();
    const histories = files.map((f) => ({ workflowId: f.replace(/\.json$/, ''), history: loadHistory(f) }));
    const failures: string[] = [];
    let replayed = 0;
    for await (const result of Worker.runReplayHistories({ workflowBundle }, histories)) {
      replayed += 1;
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(files.length);
  });
});
