import { Router, type Request, type Response } from 'express';
import { createGatewayClient } from '../../gateways/client';
import { ConnectionStatusTracker, type CheckConnection } from '../../gateways/connection-status';
import { publicConnectionView, type GatewayConnection, type GatewayConnections } from '../../gateways/connections';
import { setupChecklist } from '../../gateways/setup-checklist';
import { sendProblem } from '../middleware/errors';
import { Problem } from '../problem';

export interface GatewaysRouterDeps {
  connections: GatewayConnections;
  /** Public base URL of this API (no trailing slash needed); webhook URLs are built from it. */
  publicBaseUrl: string;
  /** Defaults to a cheap authenticated GET through the gateway client. */
  checkConnection?: CheckConnection;
}

export type GatewaysRouter = Router & { status: ConnectionStatusTracker };

const defaultCheck: CheckConnection = (connection) => createGatewayClient(connection).checkCredentials();

/** `GET /v1/gateways` and `GET /v1/gateways/:id`: webhook URL, credentials state and dashboard checklist; never a secret. */
export function createGatewaysRouter(deps: GatewaysRouterDeps): GatewaysRouter {
  const base = deps.publicBaseUrl.replace(/\/+$/, '');
  const status = new ConnectionStatusTracker(deps.connections, deps.checkConnection ?? defaultCheck);
  status.startAll();

  const view = (connection: GatewayConnection) => {
    const webhookUrl = `${base}/webhooks/${connection.gateway}/${connection.id}`;
    return { ...publicConnectionView(connection), webhookUrl, status: status.stateOf(connection), setupChecklist: setupChecklist(connection.gateway, webhookUrl) };
  };

  const router = Router() as GatewaysRouter;
  router.get('/v1/gateways', (_req: Request, res: Response) => {
    res.json({ data: [...deps.connections.values()].map(view) });
  });
  router.get('/v1/gateways/:id', (req: Request, res: Response) => {
    const connection = deps.connections.get(String(req.params.id));
    if (!connection) return sendProblem(res, new Problem(404, 'Gateway connection not found', `no connection named "${String(req.params.id)}"`));
    res.json(view(connection));
  });
  router.status = status;
  return router;
}
