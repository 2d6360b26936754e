import express, { type RequestHandler } from 'express';
import { Problem } from './problem';

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * JSON parsing for the REST routes: a body with another content type is 415 (not silently ignored), bad JSON 400 and
 * more than `limit` 413 (both rendered by the error middleware). Bodiless POSTs (`/pause`) pass through.
 */
export function jsonBody(limit: string): RequestHandler[] {
  const requireJson: RequestHandler = (req, _res, next) => {
    // req.is() is null when the request has no body, false when it has one of another type. An empty body
    // (Content-Length: 0, as many clients send on a bare POST) is no body, whatever its content type.
    if (req.get('content-length') !== '0' && req.is(JSON_TYPES) === false) {
      return next(new Problem(415, 'Unsupported media type', `Send the body as application/json (got ${req.get('content-type') ?? 'no content type'}).`));
    }
    next();
  };
  return [requireJson, express.json({ limit, strict: true, type: JSON_TYPES })];
}
