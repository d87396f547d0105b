import { z } from 'zod';
import { runtimeSecrets as fromRoot } from '../../src';
import { ManifestError } from '../../src/errors';
import { defineSecrets, resolveNames, runtimeSecrets, secret } from '../../src/manifest';

const Database = z.object({ password: z.string() });

describe('runtimeSecrets', () => {
  it('declares a prefix below estate/{env}/ that resolveNames resolves with its trailing slash', () => {
    const manifest = defineSecrets({
      service: 'backend',
      secrets: { database: secret('database', Database) },
      runtime: { orgIntegrations: runtimeSecrets('orgs'), keys: runtimeSecrets('tenants/api-keys') },
    });
    expect(resolveNames(manifest, 'staging').runtime).toEqual([
      { key: 'orgIntegrations', prefix: 'orgs', name: 'estate/staging/orgs/' },
      { key: 'keys', prefix: 'tenants/api-keys', name: 'estate/staging/tenants/api-keys/' },
    ]);
    expect(fromRoot).toBe(runtimeSecrets);
  });

  it('leaves a manifest without runtime prefixes as it was', () => {
    const manifest = defineSecrets({ service: 'etl', secrets: { database: secret('database', Database) } });
    expect(Object.keys(manifest)).toEqual(['service', 'secrets', 'parameters']);
    expect(resolveNames(manifest, 'dev').runtime).toEqual([]);
  });

  it.each(['', '*', 'orgs/', '/orgs', 'orgs/*', 'Orgs', 'orgs//a', 'orgs/{orgId}', '../x', 'a b'])(
    'refuses the prefix %j',
    (prefix) => {
      expect(() => runtimeSecrets(prefix)).toThrow(ManifestError);
    },
  );

  it('refuses duplicate or nested prefixes, naming both keys', () => {
    const define = (runtime: Record<string, ReturnType<typeof runtimeSecrets>>) =>
      defineSecrets({ service: 'backend', secrets: {}, runtime });
    expect(() => define({ a: runtimeSecrets('orgs'), b: runtimeSecrets('orgs') })).toThrow(
      /runtime\.b \("orgs"\) and runtime\.a \("orgs"\) overlap/,
    );
    expect(() => define({ a: runtimeSecrets('orgs/keys'), b: runtimeSecrets('orgs') })).toThrow(/overlap/);
    expect(() => define({ a: runtimeSecrets('orgs'), b: runtimeSecrets('orgsx') })).not.toThrow();
  });

  it('refuses a prefix that starts with a declared group, and anything not made by runtimeSecrets', () => {
    expect(() =>
      defineSecrets({
        service: 'backend',
        secrets: { database: secret('database', Database) },
        runtime: { copies: runtimeSecrets('database/copies') },
      }),
    ).toThrow(/starts with group "database" of secrets\.database/);
    expect(() =>
      defineSecrets({
        service: 'backend',
        secrets: {},
        runtime: { raw: { kind: 'runtime', prefix: 'orgs' } as never, bad: { prefix: 'x' } as never },
      }),
    ).toThrow(/runtime\.bad is not a runtimeSecrets/);
  });
});
