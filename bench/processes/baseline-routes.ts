import express, { Router } from 'express';
import type { Client } from '@temporalio/client';
import { BASELINE_TASK_QUEUE } from '../task-queues';
import { baselineCheckoutUpdate, baselineSignal, baselineWorkflow } from '../workflows';
import type { BaselineInput } from '../workflows/baseline';

/** Where the activation baseline's HTTP legs live in the bench's API process. */
export const BASELINE_ROUTES = '/__bench/baseline';

/**
 * The activation baseline's HTTP legs, bare: the same three requests a real activation makes, each doing only its
 * Temporal call. Create starts the baseline workflow and waits on its checkout update (as POST /v1/subscriptions
 * waits on `checkout`); the checkout POST takes a form body and answers; the webhook signals the workflow. So the
 * activation ratio compares Chargeloop's work with the same HTTP and Temporal round trips done by nothing else.
 */
export function baselineRoutes(client: Client): Router {
  const router = Router();
  const id = (raw: string): string => `baseline-${raw}`;
  router.post(`${BASELINE_ROUTES}/:id`, express.json(), async (req, res) => {
    const input = req.body as BaselineInput;
    const handle = await client.workflow.start(baselineWorkflow, { taskQueue: BASELINE_TASK_QUEUE, workflowId: id(String(req.params.id)), args: [input] });
    await handle.executeUpdate(baselineCheckoutUpdate);
    res.status(201).json({ id: req.params.id, checkoutUrl: `${BASELINE_ROUTES}/${String(req.params.id)}/checkout` });
  });
  router.post(`${BASELINE_ROUTES}/:id/checkout`, express.urlencoded({ extended: false }), (_req, res) => {
    res.status(200).send('paid');
  });
  router.post(`${BASELINE_ROUTES}/:id/webhook`, express.raw({ type: () => true }), async (req, res) => {
    await client.workflow.getHandle(id(String(req.params.id))).signal(baselineSignal);
    res.status(200).json({ received: true });
  });
  return router;
}
