import type { Server } from 'node:http';

export interface ServerLimits {
  /** Longest a client may take to send the request headers (slowloris). */
  headersTimeoutMs: number;
  /** Longest a whole request may take to arrive; routes have their own Temporal deadline for the answer. */
  requestTimeoutMs: number;
  /** Idle keep-alive sockets are closed after this; above typical load-balancer idle timeouts is not needed here. */
  keepAliveTimeoutMs: number;
  maxConnections: number;
}

/** Defaults chosen, not inherited: Node's own (300 s requests, no connection cap) let a slow client hold sockets. */
export const DEFAULT_SERVER_LIMITS: Omit<ServerLimits, 'maxConnections'> = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
};

export function applyServerLimits(server: Server, limits: ServerLimits): Server {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
  return server;
}
