import { z } from 'zod';

export interface RouteDoc {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Express path, e.g. /api/v1/regions/:code/trades. */
  path: string;
  summary: string;
  auth: boolean;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The body may be left out (it then parses as an empty object). */
  bodyOptional?: boolean;
  /** Success status and its body schema. */
  response: { status: number; schema?: z.ZodType; description: string };
  /** Error statuses this route answers besides 400, 401 (auth), 503 (database away) and 500. */
  errors?: number[];
}

const ErrorBody = z.object({
  error: z.object({ code: z.string(), field: z.string().nullable(), message: z.string() }),
});

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' });

/** The routes' own zod schemas, collected as they are mounted, rendered as OpenAPI 3.0. */
export class ApiDocs {
  private readonly routes: RouteDoc[] = [];

  add(route: RouteDoc): void {
    this.routes.push(route);
  }

  document(): object {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const route of this.routes) {
      const path = route.path.replace(/:(\w+)/g, '{$1}');
      paths[path] ??= {};
      paths[path][route.method] = this.operation(route);
    }
    return {
      openapi: '3.0.3',
      info: { title: 'Estate backend API', version: '1.0.0' },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
        schemas: { Error: jsonSchema(ErrorBody, 'output') },
      },
      paths,
    };
  }

  private operation(route: RouteDoc): object {
    const parameters = [...this.parameters(route.params, 'path'), ...this.parameters(route.query, 'query')];
    const error = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    const responses: Record<string, object> = {
      [route.response.status]: {
        description: route.response.description,
        ...(route.response.schema
          ? { content: { 'application/json': { schema: jsonSchema(route.response.schema, 'output') } } }
          : {}),
      },
    };
    // Every route reads the database (and a token's key): 503 + Retry-After while it cannot be reached.
    const errorStatuses = [
      ...new Set([400, ...(route.auth ? [401] : []), ...(route.errors ?? []), 503, 500]),
    ];
    for (const status of errorStatuses) responses[status] = { description: 'error', ...error };
    return {
      summary: route.summary,
      ...(route.auth ? { security: [{ bearer: [] }] } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body
        ? {
            requestBody: {
              required: !route.bodyOptional,
              content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
            },
          }
        : {}),
      responses,
    };
  }

  private parameters(schema: z.ZodObject | undefined, where: 'path' | 'query'): object[] {
    if (!schema) return [];
    return Object.entries(schema.shape).map(([name, field]) => ({
      name,
      in: where,
      required: where === 'path' || !(field as z.ZodType).safeParse(undefined).success,
      schema: jsonSchema(field as z.ZodType, 'input'),
    }));
  }
}
