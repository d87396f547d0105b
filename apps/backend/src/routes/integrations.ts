import { RuntimeSecretNotFoundError } from '@estate/secrets/store';
import type { Router } from 'express';
import { z } from 'zod';
import { authenticate, claimsOf } from '../auth/authenticate';
import type { Tokens } from '../auth/tokens';
import type { Memberships, Role } from '../db/users';
import { ApiError, notFound } from '../http/api-error';
import type { ApiDocs } from '../http/openapi';
import { Routes } from '../http/routes';
import type { IntegrationStore } from '../integrations/integration-store';

export const OrgParams = z.strictObject({ orgId: z.uuid() });
export const IntegrationParams = OrgParams.extend({
  tool: z.string().regex(/^[a-z0-9-]{1,64}$/, 'must be 1 to 64 characters of a-z, 0-9 or -'),
});
export const IntegrationBody = z.strictObject({
  credential: z
    .record(z.string().regex(/^[A-Za-z0-9_]{1,64}$/), z.string().min(1).max(4096))
    .refine(
      (value) => Object.keys(value).length >= 1 && Object.keys(value).length <= 20,
      'must hold 1 to 20 fields',
    ),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});

const Integration = z.object({
  tool: z.string(),
  createdAt: z.string().nullable(),
  lastRotatedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
});

const WRITERS: Role[] = ['owner', 'admin'];

export function integrationRoutes(deps: {
  store: IntegrationStore;
  memberships: Memberships;
  tokens: Tokens;
  docs: ApiDocs;
}): Router {
  const routes = new Routes(deps.docs, authenticate(deps.tokens));

  /** Members may list; owners and admins may change. Others learn nothing about the organization. */
  async function requireRole(userId: string, orgId: string, write: boolean): Promise<void> {
    const role = await deps.memberships.roleOf(userId, orgId);
    if (!role) throw new ApiError(403, 'not_a_member', 'you are not a member of this organization', 'orgId');
    if (write && !WRITERS.includes(role)) {
      throw new ApiError(403, 'forbidden', 'only owners and admins manage integrations');
    }
  }

  routes.add(
    {
      method: 'put',
      path: '/api/v1/orgs/:orgId/integrations/:tool',
      summary: "Store or rotate an organization's tool credential (write-only)",
      auth: true,
      params: IntegrationParams,
      body: IntegrationBody,
      response: {
        status: 200,
        description: 'stored',
        schema: z.object({ integration: z.object({ tool: z.string(), versionId: z.string() }) }),
      },
      errors: [403],
    },
    async ({ params: { orgId, tool }, body }, request, response) => {
      await requireRole(claimsOf(request).userId, orgId, true);
      const written = await deps.store.put(deps.store.orgIntegrationName(orgId, tool), body.credential, {
        description: `${tool} credential of organization ${orgId}`,
        tags: { organization: orgId, tool, ...(body.expiresAt ? { expires: body.expiresAt } : {}) },
      });
      // Write-only: the answer says what was stored, never the value.
      response.json({ integration: { tool, versionId: written.versionId } });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/v1/orgs/:orgId/integrations',
      summary: "An organization's integrations: metadata only",
      auth: true,
      params: OrgParams,
      response: {
        status: 200,
        description: 'integrations',
        schema: z.object({ integrations: z.array(Integration) }),
      },
      errors: [403],
    },
    async ({ params: { orgId } }, request, response) => {
      await requireRole(claimsOf(request).userId, orgId, false);
      const prefix = deps.store.orgIntegrationPrefix(orgId);
      const found = await deps.store.list(prefix);
      response.json({
        integrations: found.map((entry) => ({
          tool: entry.name.slice(prefix.length),
          createdAt: entry.createdDate?.toISOString() ?? null,
          lastRotatedAt: (entry.lastChangedDate ?? entry.lastRotatedDate)?.toISOString() ?? null,
          expiresAt: entry.expiresAt?.toISOString() ?? null,
        })),
      });
    },
  );

  routes.add(
    {
      method: 'delete',
      path: '/api/v1/orgs/:orgId/integrations/:tool',
      summary: 'Schedule deletion of an integration credential (recoverable for 7 days)',
      auth: true,
      params: IntegrationParams,
      response: {
        status: 202,
        description: 'deletion scheduled',
        schema: z.object({ tool: z.string(), deletionDate: z.string().nullable() }),
      },
      errors: [403, 404],
    },
    async ({ params: { orgId, tool } }, request, response) => {
      await requireRole(claimsOf(request).userId, orgId, true);
      try {
        const deleted = await deps.store.delete(deps.store.orgIntegrationName(orgId, tool));
        response.status(202).json({ tool, deletionDate: deleted.deletionDate?.toISOString() ?? null });
      } catch (error) {
        if (error instanceof RuntimeSecretNotFoundError) throw notFound('integration');
        throw error;
      }
    },
  );

  return routes.router;
}
