import {
  AccessControl,
  grantsParameter,
  grantsParameterPath,
  grantsSecret,
  loadAccessPolicy,
} from '../../src/access-policy';
import { PolicyError } from '../../src/errors';

const grant = {
  service: 'backend',
  secrets: [
    'estate/dev/database',
    'estate/dev/orgs/*',
    'arn:aws:secretsmanager:us-east-1:000000000000:secret:estate/dev/jwt',
  ],
  parameters: ['/estate/dev/config/*', '/estate/dev/features/search'],
};

describe('grants', () => {
  it('matches secrets by name, path prefix, partial or full ARN', () => {
    expect(grantsSecret(grant, { name: 'estate/dev/database' })).toBe(true);
    expect(grantsSecret(grant, { name: 'estate/dev/orgs/42/slack' })).toBe(true);
    expect(
      grantsSecret(grant, {
        name: 'estate/dev/jwt',
        arn: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:estate/dev/jwt-AbCdEf',
      }),
    ).toBe(true);
    expect(grantsSecret(grant, { name: 'estate/dev/databases' })).toBe(false);
    expect(grantsSecret(grant, { name: 'estate/dev/openai' })).toBe(false);
  });

  it('matches parameters and paths', () => {
    expect(grantsParameter(grant, '/estate/dev/config/log_level')).toBe(true);
    expect(grantsParameter(grant, '/estate/dev/features/search')).toBe(true);
    expect(grantsParameter(grant, '/estate/dev/features/beta')).toBe(false);
    expect(grantsParameterPath(grant, '/estate/dev/config')).toBe(true);
    expect(grantsParameterPath(grant, '/estate/dev/config/')).toBe(true);
    expect(grantsParameterPath(grant, '/estate/dev/config/sub')).toBe(true);
    expect(grantsParameterPath(grant, '/estate/dev')).toBe(false);
    expect(grantsParameterPath(grant, '/estate/dev/features')).toBe(false);
  });
});

describe('AccessControl', () => {
  const access = new AccessControl(
    { admins: ['local-admin'], principals: { 'local-backend': grant } },
    '123456789012',
  );

  it('identifies admins, principals and unknown keys', () => {
    expect(access.identify({ accessKeyId: 'local-admin' })).toEqual({ kind: 'everything' });
    expect(access.identify({ accessKeyId: 'local-backend' })).toMatchObject({
      kind: 'read',
      userName: 'backend',
    });
    expect(() => access.identify({ accessKeyId: 'nobody' })).toThrow(
      expect.objectContaining({ code: 'UnrecognizedClientException' }),
    );
    expect(() => access.identify({})).toThrow(
      expect.objectContaining({ code: 'MissingAuthenticationTokenException' }),
    );
  });

  it('lets everyone do everything without a policy', () => {
    expect(new AccessControl(undefined, '0').identify({})).toEqual({ kind: 'everything' });
  });

  it('words denials as IAM does, with and without a resource', () => {
    const principal = access.identify({ accessKeyId: 'local-backend' });
    expect(access.denied(principal, 'secretsmanager:ListSecrets').message).toBe(
      'User: arn:aws:iam::123456789012:user/backend is not authorized to perform: secretsmanager:ListSecrets because no identity-based policy allows the secretsmanager:ListSecrets action',
    );
    expect(access.denied(principal, 'ssm:GetParameter', 'arn:aws:ssm:r:1:parameter/x').message).toContain(
      'ssm:GetParameter on resource: arn:aws:ssm:r:1:parameter/x because',
    );
  });

  it('validates policy objects', () => {
    expect(() => loadAccessPolicy({ principals: { x: { secrets: [] } } } as never)).toThrow(PolicyError);
  });
});
