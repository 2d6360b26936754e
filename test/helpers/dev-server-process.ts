import { spawn, type ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTE_CLI_TYPES } from '../../src/shared/search-attributes';
import { quietRuntime } from './environments';
import { temporalExecutable } from './temporal-binaries';

export interface DevServerProcess {
  env: TestWorkflowEnvironment;
  /** Kills the server (as a crash would) and waits for the process to be gone, so the port and database are free. */
  stop(): Promise<void>;
}

/**
 * A Temporal CLI dev server this test owns, on a fixed port over a SQLite file, so it can be killed and started again
 * with its workflows intact. Started by hand rather than by createLocal, which gives up after a fixed connect deadline
 * (a restart on a loaded machine can take longer) and leaves the process running when it does.
 */
export async function startDevServerProcess(port: number, dbFilename: string, readyTimeoutMs = 90_000): Promise<DevServerProcess> {
  quietRuntime();
  const child: ChildProcess = spawn(
    temporalExecutable('cli'),
    [
      'server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port), '--db-filename', dbFilename, '--log-level', 'error',
      ...Object.entries(SEARCH_ATTRIBUTE_CLI_TYPES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  const address = `127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      try {
        const probe = await Connection.connect({ address, connectTimeout: '2s' });
        await probe.close();
        break;
      } catch (err) {
        if (Date.now() > deadline || child.exitCode !== null) throw err;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    return { env: await TestWorkflowEnvironment.createFromExistingServer({ address }), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
