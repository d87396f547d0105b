import {
  AWSCURRENT,
  AWSPENDING,
  AWSPREVIOUS,
  attachStage,
  MAX_DEPRECATED_VERSIONS,
  putVersion,
} from '../../src/secrets-manager/model';
import type { SecretRecord } from '../../src/store/state';

function emptySecret(): SecretRecord {
  return {
    arn: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:estate/dev/jwt-AbCdEf',
    name: 'estate/dev/jwt',
    tags: [],
    createdDate: 0,
    lastChangedDate: 0,
    rotation: { enabled: false },
    versions: [],
  };
}

const stagesOf = (secret: SecretRecord) =>
  Object.fromEntries(secret.versions.map((v) => [v.versionId, v.stages]));

describe('putVersion', () => {
  it('makes the first version AWSCURRENT even when other stages are asked for', () => {
    const secret = emptySecret();
    putVersion(secret, 'v1', { SecretString: 'a' }, [AWSPENDING], 1);
    expect(stagesOf(secret)).toEqual({ v1: [AWSPENDING, AWSCURRENT] });
  });

  it('moves AWSCURRENT and AWSPREVIOUS along', () => {
    const secret = emptySecret();
    putVersion(secret, 'v1', { SecretString: 'a' }, undefined, 1);
    putVersion(secret, 'v2', { SecretString: 'b' }, undefined, 2);
    putVersion(secret, 'v3', { SecretString: 'c' }, undefined, 3);
    expect(stagesOf(secret)).toEqual({ v1: [], v2: [AWSPREVIOUS], v3: [AWSCURRENT] });
  });

  it('answers the existing version for the same token and value, refuses another value', () => {
    const secret = emptySecret();
    const first = putVersion(secret, 'v1', { SecretString: 'a' }, undefined, 1);
    expect(putVersion(secret, 'v1', { SecretString: 'a' }, undefined, 2)).toBe(first);
    expect(() => putVersion(secret, 'v1', { SecretString: 'b' }, undefined, 3)).toThrow(
      expect.objectContaining({ code: 'ResourceExistsException' }),
    );
    expect(secret.versions).toHaveLength(1);
  });

  it('keeps a bounded number of versions without a stage', () => {
    const secret = emptySecret();
    for (let index = 0; index < MAX_DEPRECATED_VERSIONS + 10; index += 1) {
      putVersion(secret, `v${index}`, { SecretString: String(index) }, undefined, index);
    }
    expect(secret.versions.filter((version) => version.stages.length === 0)).toHaveLength(
      MAX_DEPRECATED_VERSIONS,
    );
    expect(secret.versions).toHaveLength(MAX_DEPRECATED_VERSIONS + 2);
    expect(secret.versions[0]!.versionId).toBe('v8');
  });
});

describe('attachStage', () => {
  it('keeps each label on at most one version', () => {
    const secret = emptySecret();
    const v1 = putVersion(secret, 'v1', { SecretString: 'a' }, undefined, 1);
    const v2 = putVersion(secret, 'v2', { SecretString: 'b' }, [AWSPENDING], 2);
    attachStage(secret, v1, AWSPENDING);
    expect(stagesOf(secret)).toEqual({ v1: [AWSCURRENT, AWSPENDING], v2: [] });
    attachStage(secret, v2, AWSCURRENT);
    expect(stagesOf(secret)).toEqual({ v1: [AWSPENDING, AWSPREVIOUS], v2: [AWSCURRENT] });
  });
});
