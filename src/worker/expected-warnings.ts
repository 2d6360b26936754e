import type { LogMetadata } from '@temporalio/common';

/** A warning the worker emits by design or as an orderly shutdown's side effect, which WorkerLogger logs at DEBUG. */
export interface ExpectedWarning {
  /** Why it is expected, and so carries no news for an operator. */
  why: string;
  /** Expected only once shutdown began; before that the same line is news and stays a warning. */
  onlyAtShutdown: boolean;
  matches(message: string, meta: LogMetadata): boolean;
}

/** Core's gRPC status as it logs it: `Status { code: Unavailable, message: "tcp connect error", … }`. */
const isUnavailable = (error: unknown): boolean => typeof error === 'string' && error.startsWith('Status { code: Unavailable,');

/** Matched exactly on the SDK's message and the component that emits it (Worker or Core), never on a loose substring. */
export const EXPECTED_WARNINGS: readonly ExpectedWarning[] = [
  {
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
    why:
      'At shutdown each worker tells the server it is leaving (ShutdownWorker) so the server ends its long polls at once. ' +
      'When the server is stopping with the same Ctrl-C the call fails, whatever the status; the polls then just expire ' +
      'on the server, and nothing is lost.',
    onlyAtShutdown: true,
    matches: (message, meta) => meta.sdkComponent === 'core' && message.startsWith('shutdown_worker rpc errored during worker shutdown: Status { code: '),
  },
  {
    why: 'The charge workers (subscription-workers.ts) run only chargeCard on their charge queues, by design: not polling for workflow tasks there is intended.',
    onlyAtShutdown: false,
    matches: (message, meta) => meta.sdkComponent === 'worker' && message === 'No workflows registered, not polling for workflow tasks',
  },
];
