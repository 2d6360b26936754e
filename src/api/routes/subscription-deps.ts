import type { Client } from '@temporalio/client';
import type { Gateway } from '../../shared/gateway-policy';
import type { AuthorizationMinimums, CreateSubscriptionBody, Plan } from '../../shared/schemas';
import type { PageTokens } from '../../temporal/page-token';
import type { FieldError } from '../problem';

/** What the subscription routes need; createApp fills the optional ones with defaults. */
export interface SubscriptionRoutesDeps {
  temporal: Client;
  taskQueue: string;
  /** The gateway behind a configured connection id, or undefined if there is no such connection. */
  gatewayOf: (connectionId: string) => Gateway | undefined;
  /** The connection's overrides of the policy's authorization minimums (minor units per currency), if any. */
  authorizationMinimumsOf: (connectionId: string) => AuthorizationMinimums | undefined;
  /** The gateway's rules for a new subscription (customer fields, currency, intervals) as field errors. */
  validateForGateway: (body: CreateSubscriptionBody) => FieldError[];
  /** The gateway's rules for a plan change on `connectionId`; fields are named as in the `/plan` body. */
  validatePlanChange: (connectionId: string, plan: Plan) => FieldError[];
  /** How long a create waits for the workflow to open the checkout. */
  checkoutWaitMs: number;
  now: () => Date;
  /** Signs and checks the list's page tokens (keyed, so a forged token is a 422 before Temporal sees it). */
  pageTokens: PageTokens;
}
