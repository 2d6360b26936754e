import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflows, createDevServerEnv } from '../helpers/environments';
import { launchBrowser } from './support/browser';
import { createSubscription, statusIs, subscriptionBody, viewUntil } from '../helpers/http-api';
import { SUCCESS_CARD } from './support/journeys';
import { startStack, type Stack } from '../helpers/stack';

/** The sandbox's hosted checkout in a real headless browser: the customer's side of POST /v1/subscriptions. */
describe('hosted checkout in headless chromium', () => {
  let env: TestWorkflowEnvironment;
  let stack: Stack;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    const [devEnv, bundle] = await Promise.all([createDevServerEnv(), bundleWorkflows()]);
    env = devEnv;
    stack = await startStack({ env, bundle });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await env?.teardown();
  });

  it('opens the authorization URL, pays with a success card, and the subscription becomes active', async () => {
    const body = subscriptionBody('paystack', 'br');
    const created = await createSubscription(stack, body);
    const page = await browser.context.newPage();
    await page.goto(created.authorization.checkoutUrl!);
    await page.getByText(`as ${body.customer.email}`).waitFor();
    expect(await page.textContent('body')).toContain('NGN 50.00');

    await page.getByLabel('Test card').selectOption(SUCCESS_CARD);
    await page.getByRole('button', { name: /^Pay / }).click();
    await page.getByRole('heading', { name: 'Payment successful' }).waitFor();

    const active = await viewUntil(stack, body.id, statusIs('active'));
    expect(active).toMatchObject({ cycle: 1, authorization: { status: 'authorized' }, card: { last4: SUCCESS_CARD.slice(-4) } });
  });
});
