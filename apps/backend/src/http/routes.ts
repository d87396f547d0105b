import { type Request, type RequestHandler, type Response, Router } from 'express';
import type { z } from 'zod';
import type { ApiDocs, RouteDoc } from './openapi';
import { parseInput } from './validate';

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** A route's declaration: its OpenAPI entry, whose schemas are also what parses the request. */
export interface RouteSpec<
  P extends z.ZodObject | undefined,
  Q extends z.ZodObject | undefined,
  B extends z.ZodType | undefined,
> extends Omit<RouteDoc, 'params' | 'query' | 'body'> {
  params?: P;
  query?: Q;
  body?: B;
}

export interface RouteInput<P, Q, B> {
  params: Parsed<P>;
  query: Parsed<Q>;
  body: Parsed<B>;
}

/**
 * Declares each route once: method, path and schemas mount the Express handler and write its
 * OpenAPI entry, so the two cannot disagree. The handler gets the parsed input (params, then
 * query, then body; the first problem is a 400 naming the field) after authentication when
 * `auth` is set.
 */
export class Routes {
  readonly router: Router = Router();

  constructor(
    private readonly docs: ApiDocs,
    private readonly authenticate?: RequestHandler,
  ) {}

  add<
    P extends z.ZodObject | undefined = undefined,
    Q extends z.ZodObject | undefined = undefined,
    B extends z.ZodType | undefined = undefined,
  >(
    spec: RouteSpec<P, Q, B>,
    handle: (input: RouteInput<P, Q, B>, request: Request, response: Response) => Promise<void> | void,
  ): void {
    const handlers: RequestHandler[] = [];
    if (spec.auth) {
      if (!this.authenticate)
        throw new Error(`${spec.path} needs auth, but these routes have no authenticate`);
      handlers.push(this.authenticate);
    }
    handlers.push(async (request, response) => {
      const input = {
        params: spec.params ? parseInput(spec.params, request.params, 'params') : undefined,
        query: spec.query ? parseInput(spec.query, request.query, 'query') : undefined,
        // An optional body may be left out entirely: it then parses as {}.
        body: spec.body
          ? parseInput(spec.body, spec.bodyOptional ? (request.body ?? {}) : request.body, 'body')
          : undefined,
      } as RouteInput<P, Q, B>;
      await handle(input, request, response);
    });
    this.router[spec.method](spec.path, ...handlers);
    this.docs.add(spec);
  }
}
