import { catalog } from '@estate/secrets/catalog';
import {
  InvalidValueError,
  MissingValueError,
  RotationDisabledError,
  RotationNotConfiguredError,
  SecretNameError,
  UnknownStepError,
  UnknownStrategyError,
  VersionNotPendingError,
} from './errors';
import {
  AWSCURRENT,
  AWSPENDING,
  AWSPREVIOUS,
  type SecretMetadata,
  type SecretObject,
  SecretVersions,
  versionHolding,
} from './secret-versions';
import { type RotationStrategy, type RotationTarget, STRATEGIES } from './strategies';
import {
  ROTATION_STEPS,
  type RotateDeps,
  type RotationCatalog,
  type RotationEvent,
  type RotationLogger,
} from './types';

const SECRET_NAME = /^estate\/(dev|staging|production)\/([a-z][a-z0-9-]*)$/;
const silent: RotationLogger = { info: () => {}, warn: () => {} };

/**
 * One step of the Secrets Manager rotation protocol for an `estate/{env}/{group}` secret, with the
 * strategy named by the catalog. Every step is idempotent: Secrets Manager retries steps, and a
 * step that already happened finds its result and returns. Everything that can be refused (name,
 * catalog, RotationEnabled, the token's stages) is checked before anything is written.
 */
export async function rotate(event: RotationEvent, deps: RotateDeps): Promise<void> {
  const step = event.Step;
  if (!(ROTATION_STEPS as readonly string[]).includes(step)) throw new UnknownStepError(String(step));
  const logger = deps.logger ?? silent;
  const versions = new SecretVersions(deps.client, event.SecretId);
  const metadata = await versions.describe();
  versions.secretName = metadata.name;
  const { target, strategy } = resolve(metadata, versions, deps, logger);
  if (!metadata.rotationEnabled) throw new RotationDisabledError(metadata.name);

  const token = event.ClientRequestToken;
  const stages = metadata.versionIdsToStages[token];
  const log = { secret: metadata.name, versionId: token, step };
  if (stages?.includes(AWSCURRENT) && !stages.includes(AWSPENDING)) {
    // A retried finishSecret, or any step of a rotation that already finished: nothing left to do.
    logger.info(log, `${step}: version is already AWSCURRENT`);
    return;
  }
  // Secrets Manager attaches AWSPENDING to the token before createSecret; an endpoint that does not
  // (the local one) leaves the token unknown until createSecret puts it. A secret's first version
  // gets AWSCURRENT as soon as it is put, so AWSCURRENT with AWSPENDING is a first rotation in
  // progress: set and test still run, and finishSecret only removes AWSPENDING.
  const tokenUnknown = stages === undefined;
  if (!(stages?.includes(AWSPENDING) || (step === 'createSecret' && tokenUnknown))) {
    throw new VersionNotPendingError(metadata.name, token, stages);
  }

  switch (step) {
    case 'createSecret':
      await createSecret(target, strategy, token, tokenUnknown);
      break;
    case 'setSecret':
      await strategy.setValue(
        await stageValues(versions, token, stages?.includes(AWSCURRENT) === true),
        target,
      );
      break;
    case 'testSecret':
      await strategy.testValue(
        await stageValues(versions, token, stages?.includes(AWSCURRENT) === true),
        target,
      );
      break;
    case 'finishSecret': {
      const holder = versionHolding(metadata, AWSCURRENT);
      if (holder !== token) await versions.moveCurrent(token, holder);
      // AWS accepts AWSPENDING left on the new AWSCURRENT; removing it keeps the next RotateSecret
      // from reading a leftover label as a rotation in progress.
      await versions.removeStage(AWSPENDING, token);
      break;
    }
  }
  logger.info({ ...log, strategy: target.strategy }, `${step}: done`);
}

async function createSecret(
  target: RotationTarget,
  strategy: RotationStrategy,
  token: string,
  tokenUnknown: boolean,
): Promise<void> {
  const { versions } = target;
  if (!tokenUnknown && (await versions.read(AWSPENDING, token)) !== undefined) {
    target.logger.info(
      { secret: target.secretName, versionId: token },
      'createSecret: AWSPENDING already has a value',
    );
    return;
  }
  const value = strategy.createValue(await versions.read(AWSCURRENT), target);
  const parsed = target.schema.safeParse(value);
  if (!parsed.success) {
    throw new InvalidValueError(
      target.secretName,
      'the new value',
      parsed.error.issues.map(
        (issue: { path: PropertyKey[] }) => issue.path.map(String).join('.') || '(root)',
      ),
    );
  }
  await versions.putPending(token, value);
}

/** The values a step compares; on a first rotation AWSCURRENT is the pending version itself, so there is no older value. */
async function stageValues(versions: SecretVersions, token: string, pendingIsCurrent: boolean) {
  const pending = await versions.read(AWSPENDING, token);
  if (pending === undefined) {
    throw new MissingValueError(
      versions.secretName,
      `version ${token} has no AWSPENDING value (run createSecret)`,
    );
  }
  const [current, previous] = await Promise.all([
    pendingIsCurrent ? undefined : versions.read(AWSCURRENT),
    versions.read(AWSPREVIOUS),
  ]);
  return { pending, current, previous } satisfies {
    pending: SecretObject;
    current?: SecretObject;
    previous?: SecretObject;
  };
}

function resolve(
  metadata: SecretMetadata,
  versions: SecretVersions,
  deps: RotateDeps,
  logger: RotationLogger,
): { target: RotationTarget; strategy: RotationStrategy } {
  const match = SECRET_NAME.exec(metadata.name);
  if (!match) throw new SecretNameError(metadata.name);
  const [, env, group] = match as unknown as [string, string, string];
  const entries: RotationCatalog = deps.catalog ?? catalog;
  const entry = Object.hasOwn(entries, group) ? entries[group] : undefined;
  if (entry?.rotation === undefined)
    throw new RotationNotConfiguredError(metadata.name, group, entry !== undefined);
  const strategy = Object.hasOwn(STRATEGIES, entry.rotation) ? STRATEGIES[entry.rotation] : undefined;
  if (!strategy) throw new UnknownStrategyError(metadata.name, entry.rotation, Object.keys(STRATEGIES));
  return {
    target: {
      secretName: metadata.name,
      env,
      group,
      strategy: entry.rotation,
      schema: entry.schema,
      versions,
      deps,
      logger,
    },
    strategy,
  };
}
