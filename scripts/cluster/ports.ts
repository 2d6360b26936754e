import { createServer } from 'node:net';

const canListen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/**
 * `count` free loopback ports below 32768. Temporal stores membership ports in a PostgreSQL smallint, and staying
 * under Linux's ephemeral range (32768+) keeps outgoing connections from taking a port between probe and use.
 */
export async function freePorts(count: number, { from = 20_000, to = 32_000 } = {}): Promise<number[]> {
  const span = to - from;
  const start = from + Math.floor(Math.random() * span);
  const found: number[] = [];
  for (let i = 0; i < span && found.length < count; i++) {
    const port = from + ((start - from + i) % span);
    if (await canListen(port)) found.push(port);
  }
  if (found.length < count) throw new Error(`only ${found.length} of ${count} free ports in ${from}-${to}`);
  return found;
}
