import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { EXAMPLE_SUBSCRIPTION_ID } from '../../src/api/openapi/example-requests';
import { WRITE_KEY } from '../helpers/api';
import { bundleWorkflows, createDevServerEnv } from '../helpers/environments';
import { sandboxConnections } from '../helpers/gateway-connections';
import { apiOver } from '../helpers/http-api';
import { startStack, type Stack } from '../helpers/stack';
import { launchBrowser } from './support/browser';

/**
 * The complaint of issue 12 point 6, in the browser: Swagger UI's "Try it out" on the create, with nothing typed but
 * the API key, must create the subscription (it used to fail: no example, so Swagger sent a body the API refused).
 */
describe('Swagger UI "Try it out" at /docs', () => {
  let env: TestWorkflowEnvironment;
  let stack: Stack;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    const [devEnv, bundle] = await Promise.all([createDevServerEnv(), bundleWorkflows()]);
    env = devEnv;
    stack = await startStack({ env, bundle, connectionsAt: sandboxConnections });
    stack.subscriptionIds.push(EXAMPLE_SUBSCRIPTION_ID);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await env?.teardown();
  });

  it('creates the example subscription as generated, with only the API key entered', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${stack.apiUrl}/docs/`);
    // Swagger UI's own class names: its buttons' accessible names differ from their labels ("Apply credentials").
    await page.locator('.auth-wrapper button.authorize').click();
    await page.locator('.modal-ux input').first().fill(WRITE_KEY);
    await page.locator('.modal-ux button.authorize').click();
    await page.locator('.modal-ux button.btn-done').click();

    const create = page.locator('#operations-subscriptions-post_v1_subscriptions');
    await create.locator('.opblock-summary').click();
    await create.locator('button.try-out__btn').click();
    await create.locator('button.execute').click();
    const status = create.locator('.live-responses-table tr.response .response-col_status').first();
    await status.waitFor({ timeout: 20_000 });
    expect((await status.textContent())?.trim()).toBe('201');

    const view = await apiOver(stack.apiUrl).get(`/v1/subscriptions/${EXAMPLE_SUBSCRIPTION_ID}`);
    expect(view).toMatchObject({ status: 200, body: { status: 'incomplete', gatewayConnectionId: 'paystack-sandbox' } });
  }, 60_000);
});
