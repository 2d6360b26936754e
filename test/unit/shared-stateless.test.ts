import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type * as Ids from '../../src/shared/ids';
import type * as Messages from '../../src/shared/messages';
import type * as Money from '../../src/shared/money';
import type * as Schemas from '../../src/shared/schemas';
import { sharedContractModules, workflowModules } from '../../src/worker/bundle-options';

// The worker preloads every src/shared and src/workflows module into the V8 context that all workflows share
// (src/worker/bundle-options.ts). A module there that kept state at module level would leak it from one workflow
// to the next, so module-level mutable bindings and collections are refused here.
const MUTABLE_AT_TOP_LEVEL = [/^(export\s+)?(let|var)\s/m, /^(export\s+)?const\s+\w+\s*(:[^=]+)?=\s*new\s+(Map|Set|WeakMap|Array)\b/m];

/**
 * Freezes at least what the SDK's reusable context freezes of preloaded modules (reusable-vm.js deepFreeze). It also
 * descends into objects that are already frozen: CommonJS zod, loaded here, has frozen namespaces whose contents the
 * webpack bundle's namespaces (plain getters) expose to the SDK's walk.
 */
function deepFreeze(value: unknown, seen = new WeakSet<object>()): void {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) return;
  seen.add(value);
  if (typeof value === 'object') {
    for (const key of Reflect.ownKeys(value)) {
      try {
        deepFreeze((value as Record<string | symbol, unknown>)[key], seen);
      } catch {
        // Some objects cannot be frozen (typed arrays); the SDK skips them the same way.
      }
    }
  }
  Object.freeze(value);
}

describe('src/shared, preloaded into the context all workflows share', () => {
  const modules = sharedContractModules();

  it('lists the contract modules the workflows import', () => {
    expect(modules.map((m) => basename(m).replace(/\.(ts|js)$/, ''))).toEqual(
      expect.arrayContaining(['gateway-events', 'messages', 'money', 'schemas', 'state']),
    );
  });

  it.each(modules.map((m) => [basename(m), m]))('%s keeps no module-level mutable state', (_name, path) => {
    const source = readFileSync(path, 'utf8');
    for (const pattern of MUTABLE_AT_TOP_LEVEL) expect(source).not.toMatch(pattern);
  });

  it.each(workflowModules().map((m) => [basename(m), m]))('workflows/%s keeps no module-level mutable state', (_name, path) => {
    const source = readFileSync(path, 'utf8');
    for (const pattern of MUTABLE_AT_TOP_LEVEL) expect(source).not.toMatch(pattern);
  });

  it('validates once frozen the way the SDK freezes preloaded modules in the workflow sandbox', () => {
    // shareable() proxies the schemas only where the bundle has defined __TEMPORAL__, as in the sandbox.
    const sandbox = globalThis as Record<string, unknown>;
    sandbox.__TEMPORAL__ = {};
    try {
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        deepFreeze([require('zod'), ...modules.map((m) => require(m) as unknown)]);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { CancelRequestSchema, RefundRequestSchema } = require('../../src/shared/messages') as typeof Messages;
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { MoneySchema } = require('../../src/shared/money') as typeof Money;
        expect(CancelRequestSchema.safeParse({ at: 'now' })).toEqual({ success: true, data: { at: 'now' } });
        expect(CancelRequestSchema.safeParse({ at: 'later' }).error?.issues[0]?.path).toEqual(['at']);
        expect(RefundRequestSchema.parse({ chargeReference: 'sub-abc-c1-a1', amount: 5 })).toEqual({ chargeReference: 'sub-abc-c1-a1', amount: 5 });
        expect(MoneySchema.safeParse({ amount: -1, currency: 'NGN' }).success).toBe(false);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { CustomerSchema } = require('../../src/shared/schemas') as typeof Schemas;
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { SubscriptionIdSchema } = require('../../src/shared/ids') as typeof Ids;
        expect(CustomerSchema.safeParse({ id: 'c1', email: 'ada@example.com' }).success).toBe(true);
        expect(CustomerSchema.safeParse({ id: 'c1', email: 'not-an-email' }).error?.issues[0]?.path).toEqual(['email']);
        expect(SubscriptionIdSchema.safeParse('sub-abc').success).toBe(true);
        expect(SubscriptionIdSchema.safeParse('-bad').success).toBe(false);
        expect(Object.isFrozen(MoneySchema)).toBe(true);
      });
    } finally {
      delete sandbox.__TEMPORAL__;
    }
  });
});
