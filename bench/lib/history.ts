import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { mean, round } from './stats';

const EventType = temporal.api.enums.v1.EventType;

export interface HistoryShape {
  activities: number;
  signals: number;
  timers: number;
  events: number;
}

/** What one workflow did so far, counted from its history: scheduled activities, received signals, started timers. */
export async function historyShape(client: Client, workflowId: string): Promise<HistoryShape> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const count = (t: temporal.api.enums.v1.EventType): number => events.filter((e) => e.eventType === t).length;
  return {
    activities: count(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
    signals: count(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED),
    timers: count(EventType.EVENT_TYPE_TIMER_STARTED),
    events: events.length,
  };
}

/** The mean shape over a sample, rounded to whole activities, signals and timers (the baseline needs integers). */
export async function meanShape(client: Client, workflowIds: readonly string[]): Promise<HistoryShape> {
  const shapes = await Promise.all(workflowIds.map((id) => historyShape(client, id)));
  const avg = (k: keyof HistoryShape): number => Math.round(mean(shapes.map((s) => s[k])));
  return { activities: avg('activities'), signals: avg('signals'), timers: avg('timers'), events: avg('events') };
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
