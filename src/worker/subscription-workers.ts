import { Worker, type WorkerOptions } from '@temporalio/worker';
import type { SubscriptionActivities } from '../activities/types';
import { serverRatePerSecond, type ChargeRate } from '../config/charge-rates';
import { chargeTaskQueue } from '../shared/task-queues';

export interface SubscriptionWorkerOptions extends WorkerOptions {
  activities: SubscriptionActivities;
}

/**
 * Everything one process runs for subscriptions: the worker on the workflows' task queue (workflows and every
 * activity but charges), and one activity-only worker per gateway connection on that connection's charge queue.
 * Each charge worker sets `maxTaskQueueActivitiesPerSecond`, which the server enforces per task queue for all its
 * pollers, so a renewal storm reaches the gateway at the connection's rate however many worker processes run. Every
 * process polls every configured connection's queue with the same rate (the server keeps the last poller's value).
 * The server splits a queue's rate over its partitions, so a charge queue should have one (bench/README.md).
 */
export class SubscriptionWorkers {
  private constructor(
    readonly main: Worker,
    readonly charges: readonly Worker[],
  ) {}

  static async create(options: SubscriptionWorkerOptions, rates: readonly ChargeRate[]): Promise<SubscriptionWorkers> {
    const { activities, taskQueue } = options;
    const shared: Partial<WorkerOptions> = {
      connection: options.connection,
      namespace: options.namespace,
      dataConverter: options.dataConverter,
      shutdownGraceTime: options.shutdownGraceTime,
    };
    const defined = Object.fromEntries(Object.entries(shared).filter(([, v]) => v !== undefined)) as Partial<WorkerOptions>;
    const [main, ...charges] = await Promise.all([
      Worker.create(options),
      ...rates.map((r) =>
        Worker.create({
          ...defined,
          taskQueue: chargeTaskQueue(taskQueue, r.connectionId),
          activities: { chargeCard: (input: Parameters<SubscriptionActivities['chargeCard']>[0]) => activities.chargeCard(input) },
          maxTaskQueueActivitiesPerSecond: serverRatePerSecond(r.perSecond),
        }),
      ),
    ]);
    return new SubscriptionWorkers(main, charges);
  }

  get all(): Worker[] {
    return [this.main, ...this.charges];
  }

  /** Runs every worker until all have stopped; if one fails, the others are shut down and its error is thrown. */
  async run(): Promise<void> {
    const runs = this.all.map((w) => w.run());
    try {
      await Promise.all(runs);
    } catch (err) {
      this.shutdown();
      await Promise.allSettled(runs);
      throw err;
    }
  }

  /** Runs every worker while `work` runs, then shuts them all down; fails if a worker stops first (the tests' harnesses). */
  async runUntil<T>(work: Promise<T>): Promise<T> {
    const running = this.run();
    const stoppedEarly = running.then(() => Promise.reject(new Error('the subscription workers stopped before the work finished')));
    let result: T;
    try {
      result = await Promise.race([work, stoppedEarly]);
    } catch (err) {
      this.shutdown();
      await running.catch(() => undefined);
      throw err;
    }
    this.shutdown();
    await running;
    return result;
  }

  shutdown(): void {
    for (const w of this.all) if (w.getState() === 'RUNNING') w.shutdown();
  }
}
