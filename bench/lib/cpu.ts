import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ; 100 on every Linux the bench runs on). */
const TICKS_PER_SECOND = 100;

/** CPU time a process has used so far (user + system, all its threads), in ms, from /proc/<pid>/stat. Linux only. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`unreadable /proc/${pid}/stat`);
  return ((utime + stime) * 1000) / TICKS_PER_SECOND;
}

/** CPU ms each named process uses while `work` runs (a reading before, one after). */
export async function cpuDuring<K extends string, T>(pids: Record<K, number>, work: () => Promise<T>): Promise<{ result: T; cpuMs: Record<K, number> }> {
  const read = (): Record<K, number> => Object.fromEntries(Object.entries<number>(pids).map(([name, pid]) => [name, cpuMs(pid)])) as Record<K, number>;
  const before = read();
  const result = await work();
  const after = read();
  const used = Object.fromEntries(Object.keys(pids).map((name) => [name, after[name as K] - before[name as K]])) as Record<K, number>;
  return { result, cpuMs: used };
}

/** The machine's CPUs split in two halves (`0` and `1` on two cores), or null when there is only one. */
export function cpuHalves(): { first: string; second: string; all: string } | null {
  const n = availableParallelism();
  if (n < 2) return null;
  const list = (from: number, to: number): string => Array.from({ length: to - from }, (_, i) => from + i).join(',');
  return { first: list(0, Math.floor(n / 2)), second: list(Math.floor(n / 2), n), all: list(0, n) };
}

/** Sets the CPUs every thread of a running process may use (`taskset -a -c -p`); its later children inherit them. */
export function pinToCpus(pid: number, cpus: string): void {
  execFileSync('taskset', ['-a', '-c', '-p', cpus, String(pid)], { stdio: 'ignore' });
}

/** True when `taskset` (util-linux) can be run here. */
export function canPin(): boolean {
  try {
    execFileSync('taskset', ['-c', '-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Resolves once every process used under `maxShare` of a CPU over one `windowMs` window, or after `timeoutMs`
 * (returns false then). A signal is accepted before the worker runs the workflow task it causes, so a burst leaves
 * the worker (and the server) a backlog; waiting for it keeps one measurement's work out of the next one's figures.
 */
export async function untilIdle(pids: readonly number[], options: { windowMs?: number; maxShare?: number; timeoutMs?: number } = {}): Promise<boolean> {
  const windowMs = options.windowMs ?? 1000;
  const maxMs = windowMs * (options.maxShare ?? 0.1);
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let before = pids.map(cpuMs);
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const now = pids.map(cpuMs);
    if (now.every((ms, i) => ms - before[i]! <= maxMs)) return true;
    before = now;
  }
  return false;
}
