import { createServer } from 'node:net';

/** The bench's port range, `BENCH_PORTS=<from>-<to>` (default 43000-43999), so parallel runs on one machine never collide. */
function portRange(): { from: number; to: number } {
  const match = /^(\d+)-(\d+)$/.exec(process.env.BENCH_PORTS ?? '43000-43999');
  if (!match) throw new Error('BENCH_PORTS must look like 43000-43999');
  return { from: Number(match[1]), to: Number(match[2]) };
}

const canListen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });

const handedOut = new Set<number>();

/** A loopback port of the bench's range that is free now and was not handed out before in this run. */
export async function freePort(): Promise<number> {
  const { from, to } = portRange();
  // Start at a random offset so two runs in the same range rarely probe the same ports first.
  const span = to - from + 1;
  const offset = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i += 1) {
    const port = from + ((offset + i) % span);
    if (handedOut.has(port)) continue;
    if (await canListen(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port in ${from}-${to}`);
}
