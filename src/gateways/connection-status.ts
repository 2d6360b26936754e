import type { GatewayConnection, GatewayConnections } from './connections';

export type ConnectionState = { state: 'synchronizing' } | { state: 'connected'; checkedAt: string } | { state: 'error'; reason: string; checkedAt: string };

/** Resolves when the connection's credentials work; rejects with a reason that names no secret. */
export type CheckConnection = (connection: GatewayConnection) => Promise<void>;

/**
 * Credentials checks run in the background at start-up; until one finishes the connection is `synchronizing`.
 * A failed check is retried on the next read after `retryAfterMs`, so a gateway outage at boot heals itself.
 */
export class ConnectionStatusTracker {
  private readonly states = new Map<string, ConnectionState>();
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly connections: GatewayConnections,
    private readonly check: CheckConnection,
    private readonly retryAfterMs = 60_000,
  ) {}

  startAll(): void {
    for (const connection of this.connections.values()) this.start(connection);
  }

  /** Wait for the checks in flight (tests, and a readiness probe). */
  async settled(): Promise<void> {
    await Promise.all(this.running.values());
  }

  stateOf(connection: GatewayConnection): ConnectionState {
    const state = this.states.get(connection.id) ?? { state: 'synchronizing' };
    if (state.state === 'error' && Date.now() - Date.parse(state.checkedAt) > this.retryAfterMs) this.start(connection);
    return state;
  }

  private start(connection: GatewayConnection): void {
    if (this.running.has(connection.id)) return;
    const run = this.check(connection)
      .then(() => {
        this.states.set(connection.id, { state: 'connected', checkedAt: new Date().toISOString() });
      })
      .catch((err: unknown) => {
        const reason = err instanceof Error ? err.message : 'credentials check failed';
        this.states.set(connection.id, { state: 'error', reason, checkedAt: new Date().toISOString() });
      })
      .finally(() => this.running.delete(connection.id));
    this.running.set(connection.id, run);
  }
}
