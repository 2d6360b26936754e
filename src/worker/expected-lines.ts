import type { LogMetadata } from '@temporalio/common';

/** A line the worker emits by design or as an orderly shutdown's side effect, which WorkerLogger logs at DEBUG. */
export interface ExpectedLine {
  /** The level the SDK emits it at; only that level is demoted. */
  level: 'WARN' | 'INFO';
  /** Why it is expected, and so carries no news for an operator. */
  why: string;
  /** Expected only once shutdown began; before that the same line is news and keeps its level. */
  onlyAtShutdown: boolean;
  matches(message: string, meta: LogMetadata): boolean;
}

/** Core's gRPC status as it logs it: `Status { code: Unavailable, message: "tcp connect error", … }`. */
const isUnavailable = (error: unknown): boolean => typeof error === 'string' && error.startsWith('Status { code: Unavailable,');

const ORDERLY_STATES = new Set(['RUNNING', 'STOPPING', 'DRAINING', 'DRAINED', 'STOPPED']);

/** Matched exactly on the SDK's message and the component that emits it (Worker or Core), never on a loose substring. */
export const EXPECTED_LINES: readonly ExpectedLine[] = [
  {
    level: 'WARN',
    why:
      'Core retries every report and long poll it had in flight when the server goes away; once shutdown began that is ' +
      'the server stopping with the same Ctrl-C (one terminal, or npm run dev stopping Temporal after a slow drain). ' +
      'One line per retry adds nothing: an activity whose report is finally lost still gets its own ' +
      '"Network error while completing activity" warning (kept), and the server retries it after its timeout.',
    onlyAtShutdown: true,
    matches: (message, meta) =>
      meta.sdkComponent === 'core' &&
      meta.target === 'temporalio_client::retry' &&
      /^gRPC call (poll_(workflow|activity|nexus)_task_queue|respond_(activity|workflow|nexus)_task_\w+|record_activity_task_heartbeat|shutdown_worker) retried \d+ times$/.test(message) &&
      isUnavailable(meta.error),
  },
  {
    level: 'WARN',
    why:
      'At shutdown each worker tells the server it is leaving (ShutdownWorker) so the server ends its long polls at once. ' +
      'When the server is stopping with the same Ctrl-C the call fails, whatever the status; the polls then just expire ' +
      'on the server, and nothing is lost.',
    onlyAtShutdown: true,
    matches: (message, meta) => meta.sdkComponent === 'core' && message.startsWith('shutdown_worker rpc errored during worker shutdown: Status { code: '),
  },
  {
    level: 'WARN',
    why: 'The charge workers (subscription-workers.ts) run only chargeCard on their charge queues, by design: not polling for workflow tasks there is intended.',
    onlyAtShutdown: false,
    matches: (message, meta) => meta.sdkComponent === 'worker' && message === 'No workflows registered, not polling for workflow tasks',
  },
  {
    level: 'INFO',
    why: 'Chargeloop registers no Nexus services, by design: not polling for Nexus tasks is intended (one entry per worker at start).',
    onlyAtShutdown: false,
    matches: (message, meta) => meta.sdkComponent === 'worker' && message === 'No Nexus services registered, not polling for Nexus tasks',
  },
  {
    level: 'INFO',
    why:
      "The SDK logs each worker's orderly lifecycle (RUNNING, then STOPPING, DRAINING, DRAINED, STOPPED): in npm run dev " +
      '(three charge workers beside the main one) 20 entries of 5 lines per run, 80 of them at Ctrl-C. main.ts says the same ' +
      "in two lines ('worker polling task queue …', 'worker stopped'). Any other state (FAILED) keeps its INFO line.",
    onlyAtShutdown: false,
    matches: (message, meta) => meta.sdkComponent === 'worker' && message === 'Worker state changed' && ORDERLY_STATES.has(meta.state as string),
  },
];
