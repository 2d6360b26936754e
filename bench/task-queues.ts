/** The baseline workflow's own task queue, so its tasks never queue behind subscription tasks (or the reverse). */
export const BASELINE_TASK_QUEUE = 'bench-baseline';
