import { AdvanceTestClockRequestSchema, TestClockViewSchema } from '../routes/test-clock-schemas';
import { advanceTestClockExample, EXAMPLE_SUBSCRIPTION_ID } from './example-requests';
import { advancingClockExample, readyClockExample } from './example-views';
import type { JsonSchema } from './json-schema';
import { idempotencyParam, jsonRequest, jsonResponse, problemResponses, validationExample } from './operations';
import { POST_PROBLEMS, secured, TEMPORAL_PROBLEMS, withServerResponses } from './route-groups';
import { at, BY_ID, ID_PARAM } from './subscription-paths';

/** A subscription's test clock (routes/test-clock.ts): read it, advance it. */
export const testClockPaths = (): JsonSchema => ({
  '/v1/subscriptions/{id}/test-clock': {
    get: {
      tags: ['test clocks'],
      summary: "Read the subscription's test clock (test-mode connections only)",
      description: 'Poll after an advance until `status` is `ready`; `subscription` is the state reached.',
      ...secured,
      parameters: [ID_PARAM],
      responses: withServerResponses({
        '200': jsonResponse('The clock and the subscription.', TestClockViewSchema, readyClockExample),
        ...problemResponses(at('/test-clock'), [...TEMPORAL_PROBLEMS, ...BY_ID, 'liveConnection', 'timeSkippingUnavailable']),
      }),
    },
  },
  '/v1/subscriptions/{id}/test-clock/advance': {
    post: {
      tags: ['test clocks'],
      summary: "Advance the subscription's virtual time (test-mode connections only)",
      description:
        'Fast-forwards the subscription by `by` (`36h`, `30d`, `3mo`, …) or `to` an instant, at most two billing intervals per call. ' +
        'Renewals, retries and windows due before the target fire in order against the gateway (sandbox). Answers 202 with the clock ' +
        '`advancing` and a `Location` to poll; a retried request (same Idempotency-Key and body) answers with the clock it started.',
      ...secured,
      parameters: [ID_PARAM, idempotencyParam(`${EXAMPLE_SUBSCRIPTION_ID}-test-clock-advance-1`)],
      requestBody: jsonRequest(AdvanceTestClockRequestSchema, advanceTestClockExample),
      responses: withServerResponses({
        '200': jsonResponse('A retried advance that has already finished.', TestClockViewSchema, readyClockExample),
        '202': jsonResponse('Advancing; poll the Location.', TestClockViewSchema, advancingClockExample, {
          Location: { schema: { type: 'string' }, example: at('/test-clock') },
        }),
        ...problemResponses(
          at('/test-clock/advance'),
          [...POST_PROBLEMS, ...BY_ID, 'liveConnection', 'clockAdvancing', 'subscriptionEnded', 'timeSkippingUnavailable'],
          { validation: validationExample(AdvanceTestClockRequestSchema, { by: '1mo', to: '2026-05-01T00:00:00Z' }) },
        ),
      }),
    },
  },
});
