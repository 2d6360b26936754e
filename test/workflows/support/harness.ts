import { WorkflowUpdateFailedError, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { GatewayEvent } from '../../../src/shared/gateway-events';
import { gatewayEventSignals, stateQuery, UPDATE_REFUSED } from '../../../src/shared/messages';
import { authorizationReference, subscriptionWorkflowId } from '../../../src/shared/ids';
import type { Money } from '../../../src/shared/money';
import type { SubscriptionInput } from '../../../src/shared/schemas';
import { SubscriptionWorkers } from '../../../src/worker/subscription-workers';
import { subscriptionWorkflow } from '../../../src/workflows';
import { bundleWorkflows, createTimeSkippingEnv, uniqueTaskQueue } from '../../helpers/environments';
import { testChargeRates } from '../../helpers/workers';
import type { FakeActivities } from './fake-activities';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const iso = (ms: number): string => new Date(ms).toISOString();

export interface Harness {
  env: TestWorkflowEnvironment;
  bundle: WorkflowBundleWithSourceMap;
}

/**
 * One time-skipping server and one workflow bundle per test file. Its clock is shared by the file's tests and
 * jumps ahead (about ten years, to a leftover server-side timeout) while `result()` waits, so tests only ever
 * compare times relative to `env.currentTimeMs()` or to the workflow's own timestamps.
 */
export function useHarness(): Harness {
  // The project-level testTimeout in jest.config.js is not applied under `projects`; set it for this file.
  jest.setTimeout(60_000);
  const h = {} as Harness;
  beforeAll(async () => {
    h.env = await createTimeSkippingEnv();
    h.bundle = await bundleWorkflows();
  });
  afterAll(async () => {
    await h.env?.teardown();
  });
  return h;
}

/**
 * A fresh time-skipping server per test, one bundle per file: for tests that end with work in flight on purpose (an
 * activity scheduled for a worker that has stopped, a refund or retry still running), which would hold a shared
 * server's clock for the file's later tests.
 */
export function useServerPerTest(): Harness {
  jest.setTimeout(90_000);
  const h = {} as Harness;
  beforeAll(async () => {
    h.bundle = await bundleWorkflows();
  });
  beforeEach(async () => {
    h.env = await createTimeSkippingEnv();
  });
  afterEach(async () => {
    await h.env?.teardown();
  });
  return h;
}

/**
 * Moves the time-skipping server's clock to `instant` (ms since epoch), letting every timer due before it fire; a
 * no-op when the clock is already there. The one way tests move time, so "at instant X" reads the same everywhere.
 */
export async function skipTo(h: Pick<Harness, 'env'>, instant: number): Promise<void> {
  const ms = instant - (await h.env.currentTimeMs());
  if (ms > 0) await h.env.sleep(ms);
}

/**
 * Asserts that an update was refused by the workflow (UpdateRefused, the API's 409) with a reason matching `reason`,
 * and returns the failure for further checks.
 */
export async function expectRefused(update: Promise<unknown>, reason: RegExp): Promise<ApplicationFailure> {
  const err = await update.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  expect((cause as ApplicationFailure).type).toBe(UPDATE_REFUSED);
  expect((cause as ApplicationFailure).message).toMatch(reason);
  return cause as ApplicationFailure;
}

let counter = 0;
/** A subscription input for any gateway; ids are unique per test so workflow ids never collide. */
export function subscriptionInput(overrides: Partial<SubscriptionInput> & Pick<SubscriptionInput, 'gateway'>): SubscriptionInput {
  counter += 1;
  const currency = overrides.gateway === 'razorpay' ? 'INR' : 'NGN';
  return {
    subscriptionId: `s${process.pid % 10000}-${counter}`,
    customer: { id: `cus-${counter}`, email: 'ada@example.com', firstName: 'Ada', lastName: 'Obi' },
    plan: { id: 'gold', amount: 500000, currency, interval: 'month', intervalCount: 1, trialDays: 0, totalCycles: null },
    gatewayConnectionId: `${overrides.gateway}-sandbox`,
    metadata: {},
    authorizationWindowMs: 23 * HOUR,
    createdAt: '2026-11-21T00:00:00.000Z',
    ...overrides,
  };
}

/** The webhook a gateway sends when the customer completes the authorization checkout. */
export function authorizationPaid(input: SubscriptionInput, amount: Money, overrides: Partial<Extract<GatewayEvent, { type: 'charge.succeeded' }>> = {}): GatewayEvent {
  const reference = authorizationReference(input.subscriptionId);
  return {
    type: 'charge.succeeded',
    eventId: `evt-${reference}`,
    gateway: input.gateway,
    reference,
    gatewayTransactionId: `tx-${reference}`,
    amount,
    paidAt: new Date().toISOString(),
    card: { token: 'AUTH_secret_token', last4: '4081', brand: 'visa', reusable: true },
    needsVerification: false,
    ...overrides,
  };
}

/** Runs `fn` with fresh workers on a unique task queue and its charge queues, serving the fake activities. */
export async function withWorker<T>(h: Harness, fake: FakeActivities, fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = uniqueTaskQueue('sub');
  const workers = await SubscriptionWorkers.create({ connection: h.env.nativeConnection, taskQueue, workflowBundle: h.bundle, activities: fake.activities() }, testChargeRates());
  return workers.runUntil(fn(taskQueue));
}

export function start(h: Harness, taskQueue: string, input: SubscriptionInput): Promise<WorkflowHandleWithFirstExecutionRunId<typeof subscriptionWorkflow>> {
  return h.env.client.workflow.start(subscriptionWorkflow, { taskQueue, workflowId: subscriptionWorkflowId(input.subscriptionId), args: [input] });
}

/** The next Jan 31 09:00 UTC at least `marginMs` after `nowMs`, optionally in a leap year. */
export function nextJan31(nowMs: number, opts: { leap?: boolean; marginMs?: number } = {}): number {
  const margin = opts.marginMs ?? 7 * DAY;
  for (let year = new Date(nowMs).getUTCFullYear(); ; year += 1) {
    const t = Date.UTC(year, 0, 31, 9, 0, 0);
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    if (t >= nowMs + margin && (!opts.leap || leap)) return t;
  }
}

/**
 * Saves every run of a workflow (all continue-as-new runs) as replay fixtures when RECORD_HISTORIES=1
 * (`npm run histories:record`); test/replay replays them on every CI run.
 */
export async function recordHistory(h: Harness, name: string, started: WorkflowHandleWithFirstExecutionRunId<typeof subscriptionWorkflow>): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const target = process.env.RECORD_HISTORIES_DIR;
  if (!target) throw new Error('RECORD_HISTORIES_DIR is unset: record with `npm run histories:record`');
  const dir = resolve(process.cwd(), target);
  mkdirSync(dir, { recursive: true });
  const workflowId = started.workflowId;
  let handle = h.env.client.workflow.getHandle(workflowId, started.firstExecutionRunId);
  for (let run = 1; ; run += 1) {
    const history = await handle.fetchHistory();
    // 'wx': never overwrite a committed history.
    writeFileSync(resolve(dir, `${name}${run > 1 ? `.run${run}` : ''}.json`), JSON.stringify(history, null, 1) + '\n', { flag: 'wx' });
    const last = history.events?.[history.events.length - 1];
    const next = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
    if (!next) break;
    handle = h.env.client.workflow.getHandle(workflowId, next);
  }
}

/**
 * Starts a subscription and completes its authorization (the refunded minimum for Paystack, the first invoice
 * elsewhere), returning once cycle 1 is paid.
 */
export async function startActive(h: Harness, fake: FakeActivities, taskQueue: string, input: SubscriptionInput) {
  const handle = await start(h, taskQueue, input);
  const amount = input.gateway === 'paystack' ? { amount: 5000, currency: input.plan.currency } : { amount: input.plan.amount, currency: input.plan.currency };
  await fake.checkoutOpened();
  await handle.signal(gatewayEventSignals['charge.succeeded'], authorizationPaid(input, amount));
  await fake.waitForEvent('invoice.paid');
  return { handle, view: await handle.query(stateQuery) };
}
