import { randomBytes, randomUUID } from 'node:crypto';
import {
  errorAnswerProblems,
  type RawResponse,
  rawRequest,
  secretVersions,
  signToken,
  stackSecret,
  summaryQueueCounts,
  tableState,
} from './support/bad-inputs';
import { api, capture, type IsolatedStack, signUp, startIsolatedStack } from './support/isolated-stack';

// Reliability, issue 9 case 5 (requests): a table of malformed requests against every route of the
// backend. Each answers a 4xx `{ error: { code, field, message } }` naming the field, never a 5xx or a
// stack trace; afterwards every table of the database, the summary queue and the endpoint's secrets
// are exactly as they were. The route list comes from the backend's own OpenAPI document (plus the
// four operational routes it leaves out), so a new route without a case fails this file.
jest.setTimeout(120_000);

/** Routes outside the OpenAPI document (it describes /api/v1 only). */
const OPERATIONAL_ROUTES = ['GET /healthz', 'GET /readyz', 'GET /metrics', 'GET /api/v1/openapi.json'];

interface Case {
  /** `METHOD /openapi/path/{param}` this case exercises, or `unrouted`. */
  route: string;
  name: string;
  method: string;
  path: string;
  /** Raw body; an object is sent as JSON with `content-type: application/json`. */
  body?: string | object;
  headers?: Record<string, string>;
  /** A valid bearer token unless false (or a token given here). */
  token?: string | false;
  expect: { status: number; code: string; field?: string | null };
}

let env: IsolatedStack;

beforeAll(async () => {
  env = await startIsolatedStack();
});

afterAll(() => env?.cleanup());

function cases(fixture: {
  token: string;
  orgId: string;
  key: string;
  issuer: string;
  kid: string;
  userId: string;
}): Case[] {
  const { token, orgId } = fixture;
  const now = Math.floor(Date.now() / 1000);
  const claims = { email: 'bad-inputs@estate.test', sub: fixture.userId, iss: fixture.issuer, iat: now };
  const forged = (header: object, payload: object, key: string | undefined) =>
    signToken({ typ: 'JWT', ...header }, payload, key);
  const me = 'GET /api/v1/me';
  const register = 'POST /api/v1/auth/register';
  const login = 'POST /api/v1/auth/login';
  const trades = 'GET /api/v1/regions/{code}/trades';
  const stats = 'GET /api/v1/regions/{code}/stats';
  const indices = 'GET /api/v1/indices/{tableId}';
  const summary = 'POST /api/v1/regions/{code}/summary';
  const jobs = 'GET /api/v1/jobs/{id}';
  const putIntegration = 'PUT /api/v1/orgs/{orgId}/integrations/{tool}';
  const listIntegrations = 'GET /api/v1/orgs/{orgId}/integrations';
  const deleteIntegration = 'DELETE /api/v1/orgs/{orgId}/integrations/{tool}';
  const password = 'long-enough-password';
  const invalid = (field: string | null) => ({ status: 400, code: 'invalid_value', field });
  const wrongType = (field: string | null) => ({ status: 400, code: 'invalid_type', field });
  const required = (field: string) => ({ status: 400, code: 'required', field });
  const unknown = (field: string) => ({ status: 400, code: 'unknown_field', field });
  const noField = (code: string, status = 400) => ({ status, code, field: null });
  return [
    // Anywhere.
    {
      route: 'unrouted',
      name: 'unknown route',
      method: 'GET',
      path: '/api/v1/nope',
      expect: noField('not_found', 404),
    },
    {
      route: 'unrouted',
      name: 'unknown method',
      method: 'PATCH',
      path: '/api/v1/me',
      expect: noField('not_found', 404),
    },
    {
      route: 'unrouted',
      name: 'path outside /api',
      method: 'GET',
      path: '/etc/passwd',
      expect: noField('not_found', 404),
    },
    // Operational routes take no input: a write to them is an unknown route.
    {
      route: 'GET /healthz',
      name: 'POST /healthz',
      method: 'POST',
      path: '/healthz',
      body: {},
      expect: noField('not_found', 404),
    },
    {
      route: 'GET /readyz',
      name: 'DELETE /readyz',
      method: 'DELETE',
      path: '/readyz',
      expect: noField('not_found', 404),
    },
    {
      route: 'GET /metrics',
      name: 'PUT /metrics',
      method: 'PUT',
      path: '/metrics',
      body: {},
      expect: noField('not_found', 404),
    },
    {
      route: 'GET /api/v1/openapi.json',
      name: 'POST openapi.json',
      method: 'POST',
      path: '/api/v1/openapi.json',
      body: {},
      expect: noField('not_found', 404),
    },

    // POST /api/v1/auth/register
    {
      route: register,
      name: 'malformed JSON',
      method: 'POST',
      path: '/api/v1/auth/register',
      body: '{"email": "a@b.test", "password":',
      headers: { 'content-type': 'application/json' },
      expect: noField('malformed_json'),
    },
    {
      route: register,
      name: 'JSON as text/plain',
      method: 'POST',
      path: '/api/v1/auth/register',
      body: JSON.stringify({ email: 'text@estate.test', password }),
      headers: { 'content-type': 'text/plain' },
      expect: noField('invalid_body'),
    },
    {
      route: register,
      name: 'no body',
      method: 'POST',
      path: '/api/v1/auth/register',
      expect: noField('invalid_body'),
    },
    {
      route: register,
      name: 'a JSON array',
      method: 'POST',
      path: '/api/v1/auth/register',
      body: [],
      expect: wrongType(null),
    },
    {
      route: register,
      name: 'a JSON string',
      method: 'POST',
      path: '/api/v1/auth/register',
      body: '"email"',
      headers: { 'content-type': 'application/json' },
      expect: noField('malformed_json'),
    },
    {
      route: register,
      name: 'missing password',
      method: 'POST',
      path: '/api/v1/auth/register',
      body: { email: 'missing@estate.test' },
      expect: required('password'),
    },
    {
      route: register,
      name: 'email a number',
      method: 'POST',
      path: '/api/v1/auth/register',
      body: { email: 42, password },
      expect: wrongType('email'),
    },
    {
      route: register,
      name: 'email not an address',
      method: 'POST',
      path: '/api/v1/auth/register',
      body: { email: 'not-an-address', password },
      expect: invalid('email'),
    },
    {
      route: register,
      name: 'password too short',
      method: 'POST',
      path: '/api/v1/auth/register',
      body: { email: 'short@estate.test', password: 'short' },
      expect: invalid('password'),
    },
    {
      route: register,
      name: 'password too long',
      method: 'POST',
      path: '/api/v1/auth/register',
      body: { email: 'long@estate.test', password: 'x'.repeat(73) },
      expect: invalid('password'),
    },
    {
      route: register,
      name: 'extra field',
      method: 'POST',
      path: '/api/v1/auth/register',
      body: { email: 'extra@estate.test', password, role: 'admin' },
      expect: unknown('role'),
    },
    {
      route: register,
      name: 'displayName blank',
      method: 'POST',
      path: '/api/v1/auth/register',
      body: { email: 'blank@estate.test', password, displayName: '   ' },
      expect: invalid('displayName'),
    },
    {
      route: register,
      name: 'organizationName an object',
      method: 'POST',
      path: '/api/v1/auth/register',
      body: { email: 'org@estate.test', password, organizationName: { name: 'x' } },
      expect: wrongType('organizationName'),
    },
    {
      route: register,
      name: 'oversized body (20 kB)',
      method: 'POST',
      path: '/api/v1/auth/register',
      body: { email: 'big@estate.test', password, displayName: 'x'.repeat(20_000) },
      expect: noField('body_too_large'),
    },
    {
      route: register,
      name: 'unsupported charset',
      method: 'POST',
      path: '/api/v1/auth/register',
      body: JSON.stringify({ email: 'latin@estate.test', password }),
      headers: { 'content-type': 'application/json; charset=latin1' },
      expect: noField('unsupported_encoding'),
    },
    {
      route: register,
      name: 'unknown content-encoding',
      method: 'POST',
      path: '/api/v1/auth/register',
      body: JSON.stringify({ email: 'enc@estate.test', password }),
      headers: { 'content-type': 'application/json', 'content-encoding': 'x-unknown' },
      expect: noField('unsupported_encoding'),
    },
    {
      route: register,
      name: 'email already taken',
      method: 'POST',
      path: '/api/v1/auth/register',
      body: { email: claims.email, password },
      expect: { status: 409, code: 'email_taken', field: 'email' },
    },

    // POST /api/v1/auth/login
    {
      route: login,
      name: 'malformed JSON',
      method: 'POST',
      path: '/api/v1/auth/login',
      body: '{email:}',
      headers: { 'content-type': 'application/json' },
      expect: noField('malformed_json'),
    },
    {
      route: login,
      name: 'missing email',
      method: 'POST',
      path: '/api/v1/auth/login',
      body: { password },
      expect: required('email'),
    },
    {
      route: login,
      name: 'password a number',
      method: 'POST',
      path: '/api/v1/auth/login',
      body: { email: claims.email, password: 1234567890 },
      expect: wrongType('password'),
    },
    {
      route: login,
      name: 'extra field',
      method: 'POST',
      path: '/api/v1/auth/login',
      body: { email: claims.email, password, remember: true },
      expect: unknown('remember'),
    },
    {
      route: login,
      name: 'form-encoded',
      method: 'POST',
      path: '/api/v1/auth/login',
      body: `email=${encodeURIComponent(claims.email)}&password=${password}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      expect: noField('invalid_body'),
    },
    {
      route: login,
      name: 'oversized body',
      method: 'POST',
      path: '/api/v1/auth/login',
      body: { email: claims.email, password: 'x'.repeat(17_000) },
      expect: noField('body_too_large'),
    },

    // GET /api/v1/me: every way a token can be wrong.
    {
      route: me,
      name: 'no token',
      method: 'GET',
      path: '/api/v1/me',
      token: false,
      expect: noField('missing_token', 401),
    },
    {
      route: me,
      name: 'Basic scheme',
      method: 'GET',
      path: '/api/v1/me',
      token: false,
      headers: { authorization: 'Basic dXNlcjpwYXNz' },
      expect: noField('missing_token', 401),
    },
    {
      route: me,
      name: 'not a JWT',
      method: 'GET',
      path: '/api/v1/me',
      token: 'not-a-token',
      expect: noField('invalid_token', 401),
    },
    {
      route: me,
      name: 'alg none',
      method: 'GET',
      path: '/api/v1/me',
      token: forged({ alg: 'none', kid: fixture.kid }, claims, undefined),
      expect: noField('unsupported_algorithm', 401),
    },
    {
      route: me,
      name: 'alg HS512',
      method: 'GET',
      path: '/api/v1/me',
      token: forged({ alg: 'HS512', kid: fixture.kid }, claims, fixture.key),
      expect: noField('unsupported_algorithm', 401),
    },
    {
      route: me,
      name: 'wrong kid',
      method: 'GET',
      path: '/api/v1/me',
      token: forged({ alg: 'HS256', kid: randomUUID() }, claims, fixture.key),
      expect: noField('unknown_kid', 401),
    },
    {
      route: me,
      name: 'no kid',
      method: 'GET',
      path: '/api/v1/me',
      token: forged({ alg: 'HS256' }, claims, fixture.key),
      expect: noField('unknown_kid', 401),
    },
    {
      route: me,
      name: 'forged signature',
      method: 'GET',
      path: '/api/v1/me',
      token: forged({ alg: 'HS256', kid: fixture.kid }, claims, randomBytes(32).toString('hex')),
      expect: noField('invalid_token', 401),
    },
    {
      route: me,
      name: 'expired',
      method: 'GET',
      path: '/api/v1/me',
      token: forged(
        { alg: 'HS256', kid: fixture.kid },
        { ...claims, iat: now - 7200, exp: now - 3600 },
        fixture.key,
      ),
      expect: noField('token_expired', 401),
    },
    {
      route: me,
      name: 'wrong issuer',
      method: 'GET',
      path: '/api/v1/me',
      token: forged({ alg: 'HS256', kid: fixture.kid }, { ...claims, iss: 'someone-else' }, fixture.key),
      expect: noField('invalid_token', 401),
    },
    {
      route: me,
      name: 'no subject',
      method: 'GET',
      path: '/api/v1/me',
      token: forged({ alg: 'HS256', kid: fixture.kid }, { ...claims, sub: undefined }, fixture.key),
      expect: noField('invalid_token', 401),
    },

    // GET /api/v1/regions/{code}/trades
    {
      route: trades,
      name: 'region not 5 digits',
      method: 'GET',
      path: '/api/v1/regions/1168/trades',
      expect: invalid('code'),
    },
    {
      route: trades,
      name: 'region letters',
      method: 'GET',
      path: '/api/v1/regions/abcde/trades',
      expect: invalid('code'),
    },
    {
      route: trades,
      name: 'month 13',
      method: 'GET',
      path: '/api/v1/regions/11680/trades?from=2024-13',
      expect: invalid('from'),
    },
    {
      route: trades,
      name: 'from after to',
      method: 'GET',
      path: '/api/v1/regions/11680/trades?from=2024-03&to=2024-01',
      expect: { status: 400, code: 'invalid_range', field: 'from' },
    },
    {
      route: trades,
      name: 'range of 61 months',
      method: 'GET',
      path: '/api/v1/regions/11680/trades?from=2019-01&to=2024-01',
      expect: { status: 400, code: 'range_too_long', field: 'to' },
    },
    {
      route: trades,
      name: 'pageSize 201',
      method: 'GET',
      path: '/api/v1/regions/11680/trades?pageSize=201',
      expect: invalid('pageSize'),
    },
    {
      route: trades,
      name: 'page 0',
      method: 'GET',
      path: '/api/v1/regions/11680/trades?page=0',
      expect: invalid('page'),
    },
    {
      route: trades,
      name: 'page not a number',
      method: 'GET',
      path: '/api/v1/regions/11680/trades?page=two',
      expect: wrongType('page'),
    },
    {
      route: trades,
      name: 'unknown query field',
      method: 'GET',
      path: '/api/v1/regions/11680/trades?sort=price',
      expect: unknown('sort'),
    },
    {
      route: trades,
      name: 'from given twice',
      method: 'GET',
      path: '/api/v1/regions/11680/trades?from=2024-01&from=2024-02',
      expect: wrongType('from'),
    },
    {
      route: trades,
      name: 'no token',
      method: 'GET',
      path: '/api/v1/regions/11680/trades',
      token: false,
      expect: noField('missing_token', 401),
    },

    // GET /api/v1/regions/{code}/stats
    {
      route: stats,
      name: 'region 6 digits',
      method: 'GET',
      path: '/api/v1/regions/116800/stats',
      expect: invalid('code'),
    },
    {
      route: stats,
      name: 'to not a month',
      method: 'GET',
      path: '/api/v1/regions/11680/stats?to=2024-3',
      expect: invalid('to'),
    },
    {
      route: stats,
      name: 'paging on stats',
      method: 'GET',
      path: '/api/v1/regions/11680/stats?page=1',
      expect: unknown('page'),
    },
    {
      route: stats,
      name: 'from after to',
      method: 'GET',
      path: '/api/v1/regions/11680/stats?from=2025-01&to=2024-12',
      expect: { status: 400, code: 'invalid_range', field: 'from' },
    },

    // GET /api/v1/indices/{tableId}
    {
      route: indices,
      name: 'table id with a dash',
      method: 'GET',
      path: '/api/v1/indices/A-2024-00045',
      expect: invalid('tableId'),
    },
    {
      route: indices,
      name: 'table id too long',
      method: 'GET',
      path: `/api/v1/indices/${'A'.repeat(41)}`,
      expect: invalid('tableId'),
    },
    {
      route: indices,
      name: 'class id with a quote',
      method: 'GET',
      path: "/api/v1/indices/A_2024_00045?cls=1'%20OR%201=1",
      expect: invalid('cls'),
    },
    {
      route: indices,
      name: 'range too long',
      method: 'GET',
      path: '/api/v1/indices/A_2024_00045?from=2000-01&to=2024-01',
      expect: { status: 400, code: 'range_too_long', field: 'to' },
    },
    {
      route: indices,
      name: 'forged token',
      method: 'GET',
      path: '/api/v1/indices/A_2024_00045',
      token: forged({ alg: 'HS256', kid: fixture.kid }, claims, randomBytes(32).toString('hex')),
      expect: noField('invalid_token', 401),
    },

    // POST /api/v1/regions/{code}/summary
    {
      route: summary,
      name: 'region letters',
      method: 'POST',
      path: '/api/v1/regions/gangn/summary',
      body: {},
      expect: invalid('code'),
    },
    {
      route: summary,
      name: 'period not a month',
      method: 'POST',
      path: '/api/v1/regions/11680/summary',
      body: { period: '2024-1' },
      expect: invalid('period'),
    },
    {
      route: summary,
      name: 'period a number',
      method: 'POST',
      path: '/api/v1/regions/11680/summary',
      body: { period: 202401 },
      expect: wrongType('period'),
    },
    {
      route: summary,
      name: 'extra field',
      method: 'POST',
      path: '/api/v1/regions/11680/summary',
      body: { period: '2024-01', force: true },
      expect: unknown('force'),
    },
    {
      route: summary,
      name: 'malformed JSON',
      method: 'POST',
      path: '/api/v1/regions/11680/summary',
      body: '{"period"',
      headers: { 'content-type': 'application/json' },
      expect: noField('malformed_json'),
    },
    {
      route: summary,
      name: 'a month without data',
      method: 'POST',
      path: '/api/v1/regions/11680/summary',
      body: { period: '1999-01' },
      expect: noField('no_market_data', 404),
    },
    {
      route: summary,
      name: 'expired token',
      method: 'POST',
      path: '/api/v1/regions/11680/summary',
      body: {},
      token: forged({ alg: 'HS256', kid: fixture.kid }, { ...claims, exp: now - 1 }, fixture.key),
      expect: noField('token_expired', 401),
    },

    // GET /api/v1/jobs/{id}
    {
      route: jobs,
      name: 'id with a colon',
      method: 'GET',
      path: '/api/v1/jobs/summary:11680',
      expect: invalid('id'),
    },
    {
      route: jobs,
      name: 'id too long',
      method: 'GET',
      path: `/api/v1/jobs/${'j'.repeat(129)}`,
      expect: invalid('id'),
    },
    {
      route: jobs,
      name: 'unknown job',
      method: 'GET',
      path: '/api/v1/jobs/summary-11680-2024-01-none',
      expect: noField('not_found', 404),
    },

    // PUT /api/v1/orgs/{orgId}/integrations/{tool}
    {
      route: putIntegration,
      name: 'orgId not a uuid',
      method: 'PUT',
      path: '/api/v1/orgs/org-1/integrations/slack',
      body: { credential: { token: 'x' } },
      expect: invalid('orgId'),
    },
    {
      route: putIntegration,
      name: 'tool with capitals',
      method: 'PUT',
      path: `/api/v1/orgs/${orgId}/integrations/Slack`,
      body: { credential: { token: 'x' } },
      expect: invalid('tool'),
    },
    {
      route: putIntegration,
      name: 'missing credential',
      method: 'PUT',
      path: `/api/v1/orgs/${orgId}/integrations/slack`,
      body: {},
      expect: required('credential'),
    },
    {
      route: putIntegration,
      name: 'credential a string',
      method: 'PUT',
      path: `/api/v1/orgs/${orgId}/integrations/slack`,
      body: { credential: 'token' },
      expect: wrongType('credential'),
    },
    {
      route: putIntegration,
      name: 'credential empty',
      method: 'PUT',
      path: `/api/v1/orgs/${orgId}/integrations/slack`,
      body: { credential: {} },
      expect: invalid('credential'),
    },
    {
      route: putIntegration,
      name: 'credential value too long',
      method: 'PUT',
      path: `/api/v1/orgs/${orgId}/integrations/slack`,
      body: { credential: { token: 'x'.repeat(4097) } },
      expect: invalid('credential.token'),
    },
    {
      route: putIntegration,
      name: 'credential value a number',
      method: 'PUT',
      path: `/api/v1/orgs/${orgId}/integrations/slack`,
      body: { credential: { port: 443 } },
      expect: wrongType('credential.port'),
    },
    {
      route: putIntegration,
      name: 'expiresAt not a date',
      method: 'PUT',
      path: `/api/v1/orgs/${orgId}/integrations/slack`,
      body: { credential: { token: 'x' }, expiresAt: 'tomorrow' },
      expect: invalid('expiresAt'),
    },
    {
      route: putIntegration,
      name: 'extra field',
      method: 'PUT',
      path: `/api/v1/orgs/${orgId}/integrations/slack`,
      body: { credential: { token: 'x' }, owner: 'me' },
      expect: unknown('owner'),
    },
    {
      route: putIntegration,
      name: 'oversized body',
      method: 'PUT',
      path: `/api/v1/orgs/${orgId}/integrations/slack`,
      body: {
        credential: {
          a: 'x'.repeat(4096),
          b: 'x'.repeat(4096),
          c: 'x'.repeat(4096),
          d: 'x'.repeat(4096),
          e: 'x',
        },
      },
      expect: noField('body_too_large'),
    },
    {
      route: putIntegration,
      name: 'not a member',
      method: 'PUT',
      path: `/api/v1/orgs/${randomUUID()}/integrations/slack`,
      body: { credential: { token: 'x' } },
      expect: { status: 403, code: 'not_a_member', field: 'orgId' },
    },
    {
      route: putIntegration,
      name: 'no token',
      method: 'PUT',
      path: `/api/v1/orgs/${orgId}/integrations/slack`,
      body: { credential: { token: 'x' } },
      token: false,
      expect: noField('missing_token', 401),
    },

    // GET /api/v1/orgs/{orgId}/integrations
    {
      route: listIntegrations,
      name: 'orgId not a uuid',
      method: 'GET',
      path: '/api/v1/orgs/12345/integrations',
      expect: invalid('orgId'),
    },
    {
      route: listIntegrations,
      name: 'not a member',
      method: 'GET',
      path: `/api/v1/orgs/${randomUUID()}/integrations`,
      expect: { status: 403, code: 'not_a_member', field: 'orgId' },
    },
    {
      route: listIntegrations,
      name: 'alg none',
      method: 'GET',
      path: `/api/v1/orgs/${orgId}/integrations`,
      token: forged({ alg: 'none' }, claims, undefined),
      expect: noField('unsupported_algorithm', 401),
    },

    // DELETE /api/v1/orgs/{orgId}/integrations/{tool}
    {
      route: deleteIntegration,
      name: 'tool with a slash',
      method: 'DELETE',
      path: `/api/v1/orgs/${orgId}/integrations/a%2Fb`,
      expect: invalid('tool'),
    },
    {
      route: deleteIntegration,
      name: 'orgId not a uuid',
      method: 'DELETE',
      path: '/api/v1/orgs/x/integrations/slack',
      expect: invalid('orgId'),
    },
    {
      route: deleteIntegration,
      name: 'never stored',
      method: 'DELETE',
      path: `/api/v1/orgs/${orgId}/integrations/never-stored`,
      expect: noField('not_found', 404),
    },
    {
      route: deleteIntegration,
      name: 'not a member',
      method: 'DELETE',
      path: `/api/v1/orgs/${randomUUID()}/integrations/slack`,
      expect: { status: 403, code: 'not_a_member', field: 'orgId' },
    },
  ].map((entry) => ({ ...entry, token: entry.token ?? token }) as Case);
}

async function send(baseUrl: string, entry: Case): Promise<RawResponse> {
  const headers: Record<string, string> = { ...entry.headers };
  if (entry.token) headers.authorization = `Bearer ${entry.token}`;
  let body: string | undefined;
  if (typeof entry.body === 'string') body = entry.body;
  else if (entry.body !== undefined) {
    body = JSON.stringify(entry.body);
    headers['content-type'] ??= 'application/json';
  }
  return rawRequest(`${baseUrl}${entry.path}`, entry.method, {
    headers,
    ...(body === undefined ? {} : { body }),
  });
}

test('every route: malformed requests get a 4xx naming the field; nothing is written', async () => {
  const { stack } = env;
  const { token, userId, organizationId } = await signUp(stack.backendUrl, 'bad-inputs@estate.test');
  const kid = (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;
  const jwt = await stackSecret<{ secret: string; issuer: string }>(stack, 'jwt');

  // The route list, from the running backend's OpenAPI document.
  const openapi = JSON.parse((await capture(`${stack.backendUrl}/api/v1/openapi.json`)).text) as {
    paths: Record<string, Record<string, unknown>>;
  };
  const documented = Object.entries(openapi.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
  );
  expect(documented.length).toBeGreaterThanOrEqual(11);
  const routes = [...documented, ...OPERATIONAL_ROUTES];

  const table = cases({
    token,
    orgId: organizationId,
    key: jwt.secret,
    issuer: jwt.issuer,
    kid,
    userId,
  });
  expect(table.length).toBeGreaterThanOrEqual(90);
  const covered = new Set(table.map((entry) => entry.route));
  expect(routes.filter((route) => !covered.has(route))).toEqual([]);
  expect([...covered].filter((route) => route !== 'unrouted' && !routes.includes(route))).toEqual([]);

  const tablesBefore = await tableState(stack);
  const queueBefore = await summaryQueueCounts(stack);
  const secretsBefore = await secretVersions(stack);

  const failures: string[] = [];
  for (const entry of table) {
    const answer = await send(stack.backendUrl, entry);
    const problems = errorAnswerProblems(answer, entry.expect);
    if (problems.length > 0)
      failures.push(`${entry.route} / ${entry.name}: ${problems.join('; ')} (${answer.text.slice(0, 160)})`);
  }

  expect(failures).toEqual([]);
  expect(await tableState(stack)).toEqual(tablesBefore);
  expect(await summaryQueueCounts(stack)).toEqual(queueBefore);
  expect(await secretVersions(stack)).toEqual(secretsBefore);
  // Still serving: the valid request works after the table.
  expect((await api(stack.backendUrl, 'GET', '/api/v1/me', { token })).status).toBe(200);
  expect(env.output.filter((line) => /"level":(50|60)/.test(line) && line.startsWith('backend'))).toEqual([]);
});

test('leak scan (case 4): no secret value in any line printed or response received', async () => {
  const scan = await env.leakScan();
  expect(scan.values).toBeGreaterThanOrEqual(8);
  expect(scan.leaks).toEqual([]);
});
