import type { temporal } from '@temporalio/proto';
import { FakeActivities, monthly } from './support/fake-activities';
import { startActive, subscriptionInput, useHarness, withWorker } from './support/harness';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** The patch ids a history's markers record (Core's `core_patch` marker keeps its id under `patch-data`). */
function patchIds(events: HistoryEvent[]): string[] {
  return events.flatMap((e) => {
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_patch') return [];
    const data = marker.details?.['patch-data']?.payloads?.[0]?.data;
    return data ? [(JSON.parse(Buffer.from(data).toString('utf8')) as { id: string }).id] : [];
  });
}

/**
 * Since 0.8.0 a new run decides every feature with one marker (src/workflows/features.ts). Core follows each patch
 * marker with a `TemporalChangeVersion` upsert, so one marker per feature cost every run 38 history events before it
 * did anything. Older runs keep their own markers; test/replay replays them.
 */
describe('one feature marker per run (0.8.0)', () => {
  const h = useHarness();

  it('a new run records one patch marker and one change-version upsert, and bills with every feature on', async () => {
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'paystack', plan: monthly('NGN') });
    await withWorker(h, fake, async (taskQueue) => {
      const { handle, view } = await startActive(h, fake, taskQueue, input);
      expect(view.status).toBe('active');
      const events = (await handle.fetchHistory()).events ?? [];
      expect(patchIds(events)).toEqual(['features-0.8.0']);
      const changeVersionUpserts = events.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.TemporalChangeVersion);
      expect(changeVersionUpserts).toHaveLength(1);
      // The charge went to the connection's own queue: `charges-on-connection-queue` is on without its own marker.
      const scheduled = events.flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes] : []));
      const charge = scheduled.find((a) => a.activityType?.name === 'chargeCard');
      expect(charge?.taskQueue?.name).toMatch(/-charges-/);
    });
  });
});
