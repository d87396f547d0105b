import { Registry } from 'prom-client';
import { z } from 'zod';
import { defineSecrets, loadSecrets, secret } from '../../src';
import { type LocalAws, random, startLocalAws } from '../support/local-aws';

describe('metrics', () => {
  let aws: LocalAws;
  beforeAll(async () => {
    aws = await startLocalAws();
    await aws.createSecret('estate/dev/metered', { token: random() });
  });
  afterAll(() => aws.stop());

  it('registers on the given registry only, and two containers share it', async () => {
    const registry = new Registry();
    const manifest = defineSecrets({
      service: 'metered',
      secrets: { metered: secret('metered', z.object({ token: z.string() })) },
    });
    aws.endpoint.addFault({ kind: 'throttle', operation: 'BatchGetSecretValue', count: 1 });
    const first = await loadSecrets(manifest, aws.options({ registry }));
    const second = await loadSecrets(manifest, aws.options({ registry }));
    await first.refresh();
    const text = await registry.metrics();
    expect(text).toMatch(
      /estate_secrets_api_calls_total\{operation="BatchGetSecretValue",outcome="throttled"\} 1/,
    );
    expect(text).toMatch(
      /estate_secrets_api_calls_total\{operation="BatchGetSecretValue",outcome="success"\} 3/,
    );
    expect(text).toMatch(/estate_secrets_refresh_total\{outcome="unchanged"\} 1/);
    expect(text).toMatch(/estate_secrets_stale\{group="metered"\} 0/);
    expect(text).toMatch(/estate_secrets_age_seconds\{group="metered"\} \d/);
    first.close();
    second.close();
  });
});
