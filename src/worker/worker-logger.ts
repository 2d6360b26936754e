import type { LogLevel, LogMetadata, Logger } from '@temporalio/common';
import { EXPECTED_LINES } from './expected-lines';

const SEVERITY: Record<LogLevel, number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4 };

/**
 * A task token is a credential for its task: whoever holds it can complete, fail or heartbeat that activity. The SDK
 * puts it in activity log meta as base64 (`taskToken`, elsewhere `base64TaskToken`), Core's fields call it
 * `task_token`, and a few SDK error paths pass the raw bytes; none of it helps an operator reading INFO and above.
 */
const isTokenKey = (key: string, value: unknown): boolean => /task_?token/i.test(key) || (value instanceof Uint8Array && /token/i.test(key));

function withoutTokens(meta: LogMetadata | undefined): LogMetadata | undefined {
  if (!meta) return meta;
  const keys = Object.keys(meta).filter((k) => isTokenKey(k, meta[k]));
  if (keys.length === 0) return meta;
  // A spread keeps symbol keys, notably the SDK's LogTimestamp.
  const kept: LogMetadata = { ...meta };
  for (const k of keys) delete kept[k];
  return kept;
}

/**
 * The worker's Runtime logger: task tokens dropped from meta at INFO and above (kept at DEBUG and TRACE, where
 * someone debugging a task may need them), and the lines listed in expected-lines.ts demoted to DEBUG when
 * they are expected (most only once shutdown began). Everything else passes through unchanged.
 */
export class WorkerLogger implements Logger {
  private shuttingDown = false;

  constructor(private readonly downstream: Logger) {}

  /** From now on the lines an orderly shutdown causes are expected (main.ts calls this on SIGINT/SIGTERM). */
  beginShutdown(): void {
    this.shuttingDown = true;
  }

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    const expected = EXPECTED_LINES.some((l) => l.level === level && (!l.onlyAtShutdown || this.shuttingDown) && l.matches(message, meta ?? {}));
    const effective: LogLevel = expected ? 'DEBUG' : level;
    this.downstream.log(effective, message, SEVERITY[effective] >= SEVERITY.INFO ? withoutTokens(meta) : meta);
  }

  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }

  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }

  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }

  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }

  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}
