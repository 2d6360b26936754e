import type { Coordination } from './coordination';
import type { Features } from './features';
import type { SubscriptionState } from './subscription-state';

/** What every step of one workflow run works with: the sealed entity, the run's coordination, its feature decisions. */
export interface Run {
  readonly sub: SubscriptionState;
  readonly co: Coordination;
  readonly f: Features;
}
