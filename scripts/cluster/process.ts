import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Where output goes: a file (tests, chaos), or this process's stdout with a `[name]` prefix (npm run cluster). */
  output: { file: string } | 'prefixed';
  /**
   * Lines expected while this process stops in an orderly way (after `stop()` began), left out of the prefixed
   * terminal output so Ctrl-C reads cleanly; a log file keeps every line.
   */
  quietWhileStopping?: (line: string) => boolean;
}

/**
 * One child of the cluster, in its own process group (Ctrl-C reaches only the orchestrator, which stops children in
 * order) that can be killed as a crash would kill it and started again with the same command.
 */
export class ManagedProcess {
  private child: ChildProcess | undefined;
  private exit: Promise<void> = Promise.resolve();
  private log: WriteStream | undefined;
  /** Called when the process exits without this object having been asked to stop it. */
  onUnexpectedExit: ((code: number | null, signal: NodeJS.Signals | null) => void) | undefined;
  private expecting = false;
  starts = 0;

  constructor(readonly spec: ProcessSpec) {}

  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    if (this.running) throw new Error(`${this.spec.name} is already running`);
    const { command, args, cwd, env, output } = this.spec;
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.expecting = false;
    this.starts += 1;
    if (output === 'prefixed') {
      for (const stream of [child.stdout, child.stderr]) {
        let buf = '';
        stream.on('data', (chunk: Buffer) => {
          buf += chunk.toString();
          const lines = buf.split('\n');
          buf = lines.pop() ?? '';
          for (const line of lines) {
            if (this.expecting && this.spec.quietWhileStopping?.(line)) continue;
            process.stdout.write(`[${this.spec.name}] ${line}\n`);
          }
        });
      }
    } else {
      this.log ??= createWriteStream(output.file, { flags: 'a' });
      child.stdout.pipe(this.log, { end: false });
      child.stderr.pipe(this.log, { end: false });
    }
    this.exit = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        if (!this.expecting) this.onUnexpectedExit?.(code, signal);
        resolve();
      }),
    );
    child.once('error', (err) => {
      this.log?.write(`spawn failed: ${err.message}\n`);
    });
  }

  /** Signals the whole process group (a tsx/bash wrapper and what it started) and waits, escalating to SIGKILL. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
    if (!this.running || !this.child?.pid) return this.exit;
    this.expecting = true;
    const pid = this.child.pid;
    const send = (s: NodeJS.Signals): void => {
      try {
        process.kill(-pid, s);
      } catch {
        // Already gone.
      }
    };
    send(signal);
    if (signal === 'SIGKILL') return this.exit;
    const timer = setTimeout(() => send('SIGKILL'), graceMs);
    await this.exit;
    clearTimeout(timer);
  }

  /** SIGKILL, as a crash or an OOM kill would end it: no drain, no cleanup. */
  kill(): Promise<void> {
    return this.stop('SIGKILL');
  }

  exited(): Promise<void> {
    return this.exit;
  }

  closeLog(): void {
    this.log?.end();
    this.log = undefined;
  }
}

/** Polls `probe` until it resolves true, `timeoutMs` passes (throws), or `alive` says the process died (throws). */
export async function waitFor(what: string, probe: () => Promise<boolean>, { timeoutMs = 60_000, intervalMs = 200, alive = (): boolean => true } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (!alive()) throw new Error(`${what}: the process exited before it was ready`);
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
