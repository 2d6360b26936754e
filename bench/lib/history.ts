import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { mean, percentile, round } from './stats';

const EventType = temporal.api.enums.v1.EventType;

export interface HistoryShape {
  activities: number;
  signals: number;
  timers: number;
  events: number;
  /** Workflow tasks completed: signals that arrive together share one, so two runs with equal counts above can differ here. */
  workflowTasks: number;
  /**
   * For each signal, in arrival order: how many activities had completed before it arrived. A gateway's webhook
   * answers the activity that asked it for something (the refund, the charge), so this places each signal in the run.
   */
  signalsAfter: number[];
}

/** What one workflow did so far, counted from its history: scheduled activities, received signals, started timers. */
export async function historyShape(client: Client, workflowId: string): Promise<HistoryShape> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const count = (t: temporal.api.enums.v1.EventType): number => events.filter((e) => e.eventType === t).length;
  const signalsAfter: number[] = [];
  let completed = 0;
  for (const e of events) {
    if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) completed += 1;
    else if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED) signalsAfter.push(completed);
  }
  return {
    activities: count(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
    signals: signalsAfter.length,
    timers: count(EventType.EVENT_TYPE_TIMER_STARTED),
    events: events.length,
    workflowTasks: count(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED),
    signalsAfter,
  };
}

/**
 * The mean shape over a sample, rounded to whole activities, signals and timers (the baseline needs integers);
 * workflow tasks to one decimal; each signal's place as the median (nearest rank, a whole number) over the sampled runs that received it.
 */
export async function meanShape(client: Client, workflowIds: readonly string[]): Promise<HistoryShape> {
  const shapes = await Promise.all(workflowIds.map((id) => historyShape(client, id)));
  const avg = (k: 'activities' | 'signals' | 'timers' | 'events'): number => Math.round(mean(shapes.map((s) => s[k])));
  const signals = avg('signals');
  const signalsAfter = Array.from({ length: signals }, (_, i) => percentile(shapes.flatMap((s) => (i < s.signalsAfter.length ? [s.signalsAfter[i]!] : [])), 50));
  return {
    activities: avg('activities'),
    signals,
    timers: avg('timers'),
    events: avg('events'),
    workflowTasks: round(mean(shapes.map((s) => s.workflowTasks)), 1),
    signalsAfter,
  };
}

/** Mean state transitions per workflow (the dev server fills stateTransitionCount in DescribeWorkflowExecution). */
export async function meanStateTransitions(client: Client, workflowIds: readonly string[]): Promise<number> {
  const counts = await Promise.all(
    workflowIds.map(async (id) => Number((await client.workflow.getHandle(id).describe()).raw.workflowExecutionInfo?.stateTransitionCount ?? 0)),
  );
  return round(mean(counts), 1);
}

/** Up to `size` ids spread evenly over [0, n), so a sample sees early and late subscriptions alike. */
export function sampleIndexes(n: number, size: number): number[] {
  const k = Math.min(n, size);
  return Array.from({ length: k }, (_, i) => Math.floor((i * n) / k));
}
