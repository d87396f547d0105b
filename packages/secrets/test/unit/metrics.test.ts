import { setTimeout as sleep } from 'node:timers/promises';
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

  it('shows a group stale at scrape time while a refresh round is still retrying, and fresh after', async () => {
    const registry = new Registry();
    const manifest = defineSecrets({
      service: 'metered',
      secrets: { metered: secret('metered', z.object({ token: z.string() })) },
    });
    const secrets = await loadSecrets(manifest, aws.options({ registry, refreshIntervalMs: 100 }));
    const staleValue = async () =>
      (await registry.metrics()).match(/^estate_secrets_stale\{group="metered"\} (\d)$/m)?.[1];
    try {
      expect(await staleValue()).toBe('0');
      aws.endpoint.setFaults([{ kind: 'drop' }]);
      // Two intervals without a good read; the round keeps retrying (its deadline is 30 s).
      const until = Date.now() + 3_000;
      while ((await staleValue()) !== '1' && Date.now() < until) await sleep(50);
      expect(await staleValue()).toBe('1');
      aws.endpoint.clearFaults();
      const recovered = Date.now() + 5_000;
      while ((await staleValue()) !== '0' && Date.now() < recovered) await sleep(50);
      expect(await staleValue()).toBe('0');
    } finally {
      aws.endpoint.clearFaults();
      secrets.close();
    }
  });
});
