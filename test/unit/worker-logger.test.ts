import type { LogLevel, LogMetadata, Logger } from '@temporalio/common';
import { LogTimestamp } from '@temporalio/worker';
import { WorkerLogger } from '../../src/worker/worker-logger';

interface Line {
  level: LogLevel;
  message: string;
  meta: LogMetadata | undefined;
}

/** A downstream Logger that records what reaches it, as the SDK's DefaultLogger would print it. */
function recording(): { logger: WorkerLogger; lines: Line[] } {
  const lines: Line[] = [];
  const downstream: Logger = {
    log: (level, message, meta) => void lines.push({ level, message, meta }),
    trace: (m, meta) => void lines.push({ level: 'TRACE', message: m, meta }),
    debug: (m, meta) => void lines.push({ level: 'DEBUG', message: m, meta }),
    info: (m, meta) => void lines.push({ level: 'INFO', message: m, meta }),
    warn: (m, meta) => void lines.push({ level: 'WARN', message: m, meta }),
    error: (m, meta) => void lines.push({ level: 'ERROR', message: m, meta }),
  };
  return { logger: new WorkerLogger(downstream), lines };
}

// What the SDK puts on an activity's log lines (activityLogAttributes) and Core's forwarded fields.
const TOKEN = 'CiQwMWEyM2IyOC01ZjUwLTc1MGUtOWU2Ni02MTI5NTFiMGY0MjMSJXN1YnNjcmlwdGlvbi1zdWIt';
const activityMeta = (): LogMetadata => ({
  sdkComponent: 'worker', taskQueue: 'chargeloop-subscriptions', attempt: 1, taskToken: TOKEN,
  activityId: '1', activityType: 'initializeAuthorization', workflowId: 'subscription-sub-1', [LogTimestamp]: 123n,
});
const UNAVAILABLE = 'Status { code: Unavailable, message: "tcp connect error", source: None }';
const coreRetry = (call: string, error = UNAVAILABLE): LogMetadata => ({ sdkComponent: 'core', target: 'temporalio_client::retry', error, call });

describe('WorkerLogger drops task tokens below DEBUG', () => {
  it.each(['INFO', 'WARN', 'ERROR'] as const)('drops taskToken at %s and keeps every other key, the timestamp symbol included', (level) => {
    const { logger, lines } = recording();
    logger.log(level, 'Activity failed', activityMeta());
    const meta = lines[0]!.meta!;
    expect(meta).not.toHaveProperty('taskToken');
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
    expect(meta).toMatchObject({ sdkComponent: 'worker', activityType: 'initializeAuthorization', workflowId: 'subscription-sub-1', attempt: 1 });
    expect(meta[LogTimestamp]).toBe(123n);
    expect(lines[0]!.level).toBe(level);
  });

  it('keeps the token at DEBUG and TRACE, where someone debugging a task may need it', () => {
    const { logger, lines } = recording();
    logger.debug('Activity started', activityMeta());
    logger.trace('Activity started', activityMeta());
    expect(lines.map((l) => l.meta?.taskToken as unknown)).toEqual([TOKEN, TOKEN]);
  });

  it('drops Core\'s task_token and any key holding raw token bytes, not other bytes', () => {
    const { logger, lines } = recording();
    logger.info('Activity task', { task_token: 'TaskToken(abc)', base64TaskToken: TOKEN, rawToken: Buffer.from('secret'), payload: new Uint8Array([1, 2]) });
    expect(Object.keys(lines[0]!.meta!)).toEqual(['payload']);
  });

  it('does not touch the caller\'s meta object', () => {
    const { logger } = recording();
    const meta = activityMeta();
    logger.warn('Activity failed', meta);
    expect(meta.taskToken).toBe(TOKEN);
  });
});

describe('WorkerLogger demotes only the expected warnings', () => {
  it('demotes Core\'s report and poll retries against an unavailable server to DEBUG once shutdown began, not before', () => {
    const { logger, lines } = recording();
    logger.warn('gRPC call respond_activity_task_failed retried 6 times', coreRetry('respond'));
    logger.beginShutdown();
    logger.warn('gRPC call respond_activity_task_failed retried 7 times', coreRetry('respond'));
    logger.warn('gRPC call respond_activity_task_completed retried 5 times', coreRetry('respond'));
    logger.warn('gRPC call poll_workflow_task_queue retried 6 times', coreRetry('poll'));
    logger.warn('gRPC call poll_activity_task_queue retried 12 times', coreRetry('poll'));
    expect(lines.map((l) => l.level)).toEqual(['WARN', 'DEBUG', 'DEBUG', 'DEBUG', 'DEBUG']);
  });

  it('demotes each worker\'s failed ShutdownWorker call once shutdown began, not before', () => {
    const { logger, lines } = recording();
    const message = 'shutdown_worker rpc errored during worker shutdown: Status { code: Unknown, message: "transport error", source: None }';
    logger.warn(message, { sdkComponent: 'core', target: 'temporalio_sdk_core::worker' });
    logger.beginShutdown();
    logger.warn(message, { sdkComponent: 'core', target: 'temporalio_sdk_core::worker' });
    logger.warn(message, { sdkComponent: 'worker' });
    expect(lines.map((l) => l.level)).toEqual(['WARN', 'DEBUG', 'WARN']);
  });

  it('keeps warnings at shutdown that are news: another status, another call, another component, the final loss of a report, an activity failure', () => {
    const { logger, lines } = recording();
    logger.beginShutdown();
    logger.warn('gRPC call respond_activity_task_failed retried 6 times', coreRetry('respond', 'Status { code: InvalidArgument, message: "bad" }'));
    logger.warn('gRPC call start_workflow_execution retried 6 times', coreRetry('start'));
    logger.warn('gRPC call poll_workflow_task_queue retried 6 times', { ...coreRetry('poll'), sdkComponent: 'worker' });
    logger.warn('gRPC call poll_workflow_task_queue retried 6 times, then some', coreRetry('poll'));
    logger.warn('Network error while completing activity', { sdkComponent: 'core', target: 'temporalio_sdk_core::worker::activities', error: UNAVAILABLE });
    logger.warn('Activity failed', activityMeta());
    expect(lines.map((l) => l.level)).toEqual(['WARN', 'WARN', 'WARN', 'WARN', 'WARN', 'WARN']);
  });

  it('demotes the charge workers\' "no workflows registered" at any time: they poll activities only, by design', () => {
    const { logger, lines } = recording();
    logger.warn('No workflows registered, not polling for workflow tasks', { sdkComponent: 'worker', taskQueue: 'chargeloop-subscriptions-charges-paystack-sandbox' });
    logger.warn('No activities registered, not polling for activity tasks', { sdkComponent: 'worker', taskQueue: 'chargeloop-subscriptions' });
    expect(lines.map((l) => l.level)).toEqual(['DEBUG', 'WARN']);
  });

  it('demotes "no Nexus services registered" at any time: Chargeloop has none, by design', () => {
    const { logger, lines } = recording();
    logger.info('No Nexus services registered, not polling for Nexus tasks', { sdkComponent: 'worker', taskQueue: 'chargeloop-subscriptions' });
    logger.warn('No Nexus services registered, not polling for Nexus tasks', { sdkComponent: 'worker', taskQueue: 'chargeloop-subscriptions' });
    expect(lines.map((l) => l.level)).toEqual(['DEBUG', 'WARN']);
  });

  it('demotes the orderly lifecycle of every worker, not a failed one', () => {
    const { logger, lines } = recording();
    for (const state of ['RUNNING', 'STOPPING', 'DRAINING', 'DRAINED', 'STOPPED', 'FAILED']) logger.info('Worker state changed', { sdkComponent: 'worker', taskQueue: 'q', state });
    expect(lines.map((l) => l.level)).toEqual(['DEBUG', 'DEBUG', 'DEBUG', 'DEBUG', 'DEBUG', 'INFO']);
  });

  it('never demotes an error', () => {
    const { logger, lines } = recording();
    logger.beginShutdown();
    logger.error('gRPC call poll_workflow_task_queue retried 6 times', coreRetry('poll'));
    expect(lines[0]!.level).toBe('ERROR');
  });
});
