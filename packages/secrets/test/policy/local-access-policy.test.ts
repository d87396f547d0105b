import { LOCAL_ADMIN_ACCESS_KEY_ID, localAccessKeyId, localAccessPolicy } from '../../src/policy';
import { RuntimeSecretAccessDeniedError, RuntimeSecretStore } from '../../src/store';
import { appManifest } from './manifests';

describe('localAccessPolicy', () => {
  const manifests = [appManifest('etl'), appManifest('backend'), appManifest('ai-worker')];

  it('gives each service exactly the names of its manifest, and local-admin everything', () => {
    expect(localAccessPolicy(manifests, 'dev')).toEqual({
      admins: [LOCAL_ADMIN_ACCESS_KEY_ID],
      principals: {
        'local-ai-worker': {
          service: 'ai-worker',
          secrets: ['estate/dev/database', 'estate/dev/redis', 'estate/dev/openai'],
          parameters: [
            '/estate/dev/config/log_level',
            '/estate/dev/config/openai_model',
            '/estate/dev/config/worker_concurrency',
            '/estate/dev/config/openai_calls_per_minute',
          ],
        },
        'local-backend': {
          service: 'backend',
          secrets: [
            'estate/dev/database',
            'estate/dev/redis',
            'estate/dev/rabbitmq',
            'estate/dev/jwt',
            'estate/dev/ses',
            'estate/dev/segment',
          ],
          parameters: ['/estate/dev/config/log_level', '/estate/dev/config/allowed_origins'],
          manage: ['estate/dev/orgs/*'],
        },
        'local-etl': {
          service: 'etl',
          secrets: ['estate/dev/database', 'estate/dev/rabbitmq', 'estate/dev/kreb', 'estate/dev/molit'],
          parameters: [
            '/estate/dev/config/log_level',
            '/estate/dev/config/etl_regions',
            '/estate/dev/config/etl_kreb_tables',
            '/estate/dev/config/etl_lookback_months',
          ],
        },
      },
    });
  });

  it('names access keys after the service', () => {
    expect(localAccessKeyId('backend')).toBe('local-backend');
    expect(Object.keys(localAccessPolicy(manifests, 'staging').principals)).toEqual([
      'local-ai-worker',
      'local-backend',
      'local-etl',
    ]);
  });

  it('is accepted by @estate/secrets-local, which then denies outside the manifest', async () => {
    const { start } = await import('@estate/secrets-local');
    const { SecretsManagerClient, GetSecretValueCommand, CreateSecretCommand } = await import(
      '@aws-sdk/client-secrets-manager'
    );
    const endpoint = await start({ port: 0, quiet: true, policy: localAccessPolicy(manifests, 'dev') });
    const client = (accessKeyId: string) =>
      new SecretsManagerClient({
        endpoint: endpoint.url,
        region: 'ap-northeast-2',
        credentials: { accessKeyId, secretAccessKey: 'local' },
        maxAttempts: 1,
      });
    try {
      await client('local-admin').send(
        new CreateSecretCommand({ Name: 'estate/dev/openai', SecretString: '{}' }),
      );
      const denied = client('local-backend').send(
        new GetSecretValueCommand({ SecretId: 'estate/dev/openai' }),
      );
      await expect(denied).rejects.toMatchObject({ name: 'AccessDeniedException' });
      const allowed = await client('local-ai-worker').send(
        new GetSecretValueCommand({ SecretId: 'estate/dev/openai' }),
      );
      expect(allowed.Name).toBe('estate/dev/openai');
    } finally {
      await endpoint.stop();
    }
  });

  it('lets local-backend manage estate/dev/orgs/* through RuntimeSecretStore, and nothing outside it', async () => {
    const { start } = await import('@estate/secrets-local');
    const { SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
    const endpoint = await start({ port: 0, quiet: true, policy: localAccessPolicy(manifests, 'dev') });
    const client = new SecretsManagerClient({
      endpoint: endpoint.url,
      region: 'ap-northeast-2',
      credentials: { accessKeyId: 'local-backend', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    const store = new RuntimeSecretStore({ env: 'dev', client });
    try {
      const name = store.orgIntegrationName('org-1', 'slack');
      await store.put(name, { token: 'first' }, { tags: { expires: '2030-01-01' } });
      await store.put(name, { token: 'second' });
      expect(await store.get(name, undefined, { fresh: true })).toEqual({ token: 'second' });
      expect((await store.list(store.orgIntegrationPrefix('org-1'))).map((m) => m.name)).toEqual([name]);
      await store.delete(name);
      await expect(store.put('estate/dev/jwt', { secret: 'x' })).rejects.toBeInstanceOf(
        RuntimeSecretAccessDeniedError,
      );
      await expect(store.put('estate/dev/orgsx/a', { token: 'x' })).rejects.toBeInstanceOf(
        RuntimeSecretAccessDeniedError,
      );
    } finally {
      client.destroy();
      await endpoint.stop();
    }
  });
});
