import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MERCHANT_EVENT_TYPES, MerchantEventSchema } from '../../src/shared/merchant-events';

describe('docs/events.md', () => {
  const doc = readFileSync(resolve(__dirname, '../../docs/events.md'), 'utf8');

  it('documents every event type with an example payload that matches the event schema', () => {
    for (const type of MERCHANT_EVENT_TYPES) {
      const section = doc.split(`### \`${type}\``)[1];
      expect(section).toBeDefined();
      const json = /```json\n([\s\S]*?)```/.exec(section ?? '')?.[1];
      const example = MerchantEventSchema.parse(JSON.parse(json ?? 'null'));
      expect(example.type).toBe(type);
      expect(example.id).toBe(`${example.subscriptionId}-${example.sequence}`);
    }
  });
});
