import { edgePaths } from './edge-paths';
import type { JsonSchema } from './json-schema';
import { componentSchemas } from './operations';
import { subscriptionPaths } from './subscription-paths';
import { testClockPaths } from './test-clock-paths';

/**
 * The OpenAPI 3.1 document, built from the zod schemas the routes validate with, so the two cannot drift apart.
 * Every example is parsed with its schema as the document is built (operations.ts), and every status a route can
 * answer is listed (test/unit/openapi-statuses.test.ts provokes them).
 */
export function buildOpenApiDocument(options: { serverUrl?: string } = {}): JsonSchema {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Chargeloop API',
      version: '1.0.0',
      description:
        'Recurring card subscriptions on Paystack, Flutterwave and Razorpay. Every error the API answers is application/problem+json ' +
        "(RFC 9457); only 408 and 431, which Node's HTTP server sends before the API sees the request, have no body. " +
        'The examples are one story on the `paystack-sandbox` connection of `npm run dev`: create, pay at the checkout, then the operations.',
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    components: {
      schemas: componentSchemas(),
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: `Authorization: Bearer <key>`.' } },
    },
    paths: { ...subscriptionPaths(), ...testClockPaths(), ...edgePaths() },
  };
}
