import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { manifests } from './support/manifests';
import { repoRoot } from './support/paths';
import { CREDENTIAL_URL, SECRET_LOOKING_NAME } from './support/secret-names';

// biome-ignore lint/suspicious/noExplicitAny: the compose file is walked as plain data
type Service = Record<string, any>;

const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const apps = manifests.map((m) => m.service);

/**
 * The secret-named settings compose may hold, and the only values they may have: the local
 * endpoint's access key ids name a service (local-backend, local-admin) and grant what its
 * manifest declares; the SDK signs every request and needs some secret access key, which the
 * endpoint does not verify, so it is a fixed placeholder.
 */
const PLACEHOLDERS: Record<string, RegExp> = {
  AWS_ACCESS_KEY_ID: /^local-[a-z][a-z-]*$/,
  AWS_SECRET_ACCESS_KEY: /^local$/,
};

function environmentOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env))
    return Object.fromEntries(env.map((line: string) => line.split(/=(.*)/s).slice(0, 2)));
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, String(value)]));
}

describe('docker-compose.yml', () => {
  test('names every service the platform needs', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['postgres', 'redis', 'rabbitmq', 'secrets', 'seed', ...apps].sort(),
    );
  });

  test('holds no secret-looking value', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [key, value] of Object.entries(environmentOf(service))) {
        const where = `${name}.${key}`;
        if (SECRET_LOOKING_NAME.test(key)) {
          expect({ where, placeholder: PLACEHOLDERS[key]?.test(value) ?? false }).toEqual({
            where,
            placeholder: true,
          });
        }
        expect({ where, credentialUrl: CREDENTIAL_URL.test(value) }).toEqual({ where, credentialUrl: false });
      }
    }
    const text = readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8');
    expect(text).not.toMatch(/POSTGRES_PASSWORD|RABBITMQ_DEFAULT_PASS|requirepass/);
  });

  test.each(apps)(
    '%s reads everything from the endpoint with its own access key id, after the seed',
    (app) => {
      const service = compose.services[app]!;
      expect(service.build).toEqual({
        context: '.',
        dockerfile: 'infrastructure/docker/service.Dockerfile',
        args: { SERVICE: app },
      });
      expect(environmentOf(service)).toMatchObject({
        ESTATE_ENV: 'dev',
        AWS_REGION: 'ap-northeast-2',
        AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
        AWS_ACCESS_KEY_ID: `local-${app}`,
      });
      expect(service.depends_on).toMatchObject({
        seed: { condition: 'service_completed_successfully' },
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
        rabbitmq: { condition: 'service_healthy' },
      });
    },
  );

  test('the seed runs once the endpoint is healthy, and the endpoint enforces the manifests’ access policy', () => {
    expect(compose.services.seed?.depends_on).toEqual({ secrets: { condition: 'service_healthy' } });
    expect(compose.services.seed?.command).toEqual(expect.arrayContaining(['seed', '--env', 'dev']));
    expect(compose.services.secrets?.healthcheck).toBeDefined();
    expect(String(compose.services.secrets?.command.join(' '))).toMatch(/access-policy --env dev.*--policy/s);
  });
});

describe('infrastructure/docker/service.Dockerfile (one image recipe, SERVICE names the app)', () => {
  const text = readFileSync(join(repoRoot, 'infrastructure', 'docker', 'service.Dockerfile'), 'utf8');
  const instructions = text
    .split('\n')
    .filter((line) => /^[A-Z]+\s/.test(line))
    .map((line) => line.trim());

  test('is multi-stage from node:24-bookworm-slim and deploys only the named service with production dependencies', () => {
    const froms = instructions.filter((line) => line.startsWith('FROM '));
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) expect(from).toMatch(/^FROM node:24-bookworm-slim\b/);
    expect(instructions).toContain('ARG SERVICE');
    // The Dockerfile's own ${SERVICE}, not a template string of this test.
    const service = '$' + '{SERVICE}';
    expect(text).toContain(`pnpm --filter "@estate/${service}..." build`);
    expect(text).toContain(`pnpm --filter "@estate/${service}" deploy --prod`);
    // An unknown service fails the build instead of producing an image of nothing.
    for (const app of apps) expect(text).toMatch(new RegExp(`\\b${app}\\b[^\\n]*\\)`));
  });

  test('runs as user 10001 with node dist/main.js, and bakes in no secret', () => {
    const users = instructions.filter((line) => line.startsWith('USER '));
    expect(users.at(-1)).toMatch(/^USER 10001(:10001)?$/);
    expect(instructions.at(-1)).toBe('CMD ["node", "dist/main.js"]');
    const settings = instructions.filter((line) => /^(ENV|ARG) /.test(line));
    for (const line of settings)
      expect({ line, secretLooking: SECRET_LOOKING_NAME.test(line) }).toMatchObject({ secretLooking: false });
  });

  test('the ETL job is started with its one command, run, wherever it is deployed', () => {
    expect(compose.services.etl?.command).toEqual(['node', 'dist/main.js', 'run']);
  });
});

test('.dockerignore keeps dependencies, build output, dev data and git out of the build context', () => {
  const lines = readFileSync(join(repoRoot, '.dockerignore'), 'utf8').split('\n');
  for (const entry of ['**/node_modules', '**/dist', '.dev', '.git']) expect(lines).toContain(entry);
});
