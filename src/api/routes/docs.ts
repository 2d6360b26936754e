import { Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { JsonSchema } from '../openapi/json-schema';

/** `/openapi.json` and `/docs` (Swagger UI from the local swagger-ui-dist package: works offline, no CDN). */
export function createDocsRouter(document: JsonSchema): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  // Swagger UI's page loads its assets relative to itself, so /docs must end with a slash.
  router.get('/docs', (req, res, next) => {
    if (req.originalUrl.split('?')[0]?.endsWith('/')) return next();
    res.redirect(301, '/docs/');
  });
  router.use('/docs', swaggerUi.serveFiles(document), swaggerUi.setup(document, { customSiteTitle: 'Chargeloop API' }));
  return router;
}
