import type { DevTemporalPorts } from './temporal-server';

/** One line of the server's JSON log (zap), as far as the rules below read it. */
interface ServerLogLine {
  level?: string;
  msg?: string;
  error?: string;
  Error?: string;
  connectAddr?: string;
}

const parse = (line: string): ServerLogLine | undefined => {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as ServerLogLine;
  } catch {
    return undefined;
  }
};

/**
 * The lines the Temporal server (v1.32.2, config/temporal/dev.yaml) prints while it stops in an orderly way, once
 * the stack has stopped the worker: measured at 10 WARN and 17 ERROR lines per Ctrl-C of npm run dev, none of them
 * news. Its four services run in one process and leave one after another, so each rule names what the one process
 * does to itself. Matched on the message and the exact error, and only for the server's own addresses.
 */
export function temporalShutdownNoise(ports: DevTemporalPorts): (line: string) => boolean {
  const own = new Set([ports.frontend, ports.history, ports.matching, ports.worker].map((p) => `127.0.0.1:${p}`));
  const rules: ((l: ServerLogLine) => boolean)[] = [
    // The remaining services dialling one of the server's own services that has already stopped listening.
    (l) => l.level === 'warn' && l.msg === 'network dial error' && own.has(l.connectAddr ?? '') && l.error === `dial tcp ${l.connectAddr}: connect: connection refused`,
    // The server's internal system workers (Go SDK) whose long polls the frontend ended with its graceful stop.
    (l) => l.level === 'warn' && l.msg === 'Failed to poll for task.' && (l.Error ?? '').endsWith('received prior goaway: code: NO_ERROR, debug data: "graceful_stop"'),
    // Matching's task queue partitions asking their root partition for user data while the membership ring empties.
    (l) => l.level === 'error' && l.msg === 'error fetching user data from parent' && l.error === 'Not enough hosts to serve the request',
    // Matching re-resolving the Nexus endpoints' owner on the same ring change.
    (l) => l.level === 'error' && l.msg === 'Failed to check Nexus endpoints ownership' && l.error === 'cannot resolve Nexus endpoints partition owner: Not enough hosts to serve the request',
  ];
  return (line) => {
    const parsed = parse(line);
    return parsed !== undefined && rules.some((rule) => rule(parsed));
  };
}
