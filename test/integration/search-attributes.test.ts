import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTE_CLI_TYPES } from '../../src/shared/search-attributes';
import { registerSearchAttributes } from '../../src/temporal/register-search-attributes';
import { quietRuntime } from '../helpers/environments';
import { temporalExecutable } from '../helpers/temporal-binaries';

// The docker-compose `setup` step: a server that has never heard of Chargeloop gets its attributes once.
describe('registerSearchAttributes on a fresh dev server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    quietRuntime();
    env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: temporalExecutable('cli') } } });
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('adds every missing attribute with its type, and nothing on a second run', async () => {
    const namespace = env.namespace ?? 'default';
    expect((await registerSearchAttributes(env.connection, namespace)).sort()).toEqual(Object.keys(SEARCH_ATTRIBUTE_CLI_TYPES).sort());
    const listed = await env.connection.operatorService.listSearchAttributes({ namespace });
    expect(listed.customAttributes?.NextChargeAt).toBe(6); // INDEXED_VALUE_TYPE_DATETIME
    expect(listed.customAttributes?.Gateway).toBe(2); // INDEXED_VALUE_TYPE_KEYWORD
    expect(await registerSearchAttributes(env.connection, namespace)).toEqual([]);
  });
});
