import { randomUUID } from 'node:crypto';
import { invalidRequest } from '../errors';
import { type OperationContext, requireWriteAccess } from '../operation';
import { parseRequest } from '../request-validation';
import type { RotationEvent } from '../types';
import { AWSPENDING, findSecret, requireLiveSecret, versionHolding } from './model';
import { RotateSecretRequest } from './requests';

const DAY_MS = 86_400_000;
const STEPS: RotationEvent['Step'][] = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'];

/**
 * Records the rotation configuration and, with RotateImmediately (the default), runs the four
 * rotation steps through the configured `rotationHandler`, which stands in for the Lambda.
 * The handler runs outside any lock: it calls back into this endpoint like a real rotation Lambda.
 */
export async function rotateSecret(ctx: OperationContext, body: unknown): Promise<object> {
  const input = parseRequest(RotateSecretRequest, body);
  requireWriteAccess(
    ctx,
    'secretsmanager:RotateSecret',
    findSecret(ctx.store.data, input.SecretId)?.arn ?? input.SecretId,
  );
  const rotateNow = input.RotateImmediately ?? true;
  const token = input.ClientRequestToken ?? randomUUID();

  const secret = await ctx.store.mutate((data) => {
    const target = requireLiveSecret(data, input.SecretId);
    const lambdaArn = input.RotationLambdaARN ?? target.rotation.lambdaArn;
    if (lambdaArn === undefined && ctx.rotationHandler === undefined) {
      throw invalidRequest(
        "You tried to enable rotation on a secret that doesn't already have a Lambda function ARN configured and you didn't include such an ARN as a parameter in this call.",
      );
    }
    const pending = versionHolding(target, AWSPENDING);
    if (rotateNow && pending && pending.versionId !== token) {
      throw invalidRequest("A previous rotation isn't complete. That rotation will be reattempted.");
    }
    const now = ctx.now();
    target.rotation.enabled = true;
    if (lambdaArn !== undefined) target.rotation.lambdaArn = lambdaArn;
    if (input.RotationRules !== undefined) target.rotation.rules = input.RotationRules;
    const days = target.rotation.rules?.AutomaticallyAfterDays;
    if (!rotateNow && days !== undefined) target.rotation.nextRotationDate = now + days * DAY_MS;
    target.lastChangedDate = now;
    return target;
  });
  if (!rotateNow) return { ARN: secret.arn, Name: secret.name };

  const handler = ctx.rotationHandler;
  if (handler === undefined) {
    throw invalidRequest(
      'This local endpoint has no rotation handler configured, so it cannot invoke the rotation function. Pass RotateImmediately=false to only record the schedule, or start the endpoint with a rotationHandler.',
    );
  }
  for (const step of STEPS) {
    try {
      await handler({ SecretId: secret.arn, ClientRequestToken: token, Step: step });
    } catch (error) {
      throw invalidRequest(`The rotation function failed at step ${step}: ${(error as Error).message}`);
    }
  }
  await ctx.store.mutate((data) => {
    const rotated = data.secrets[secret.name];
    if (!rotated) return;
    const now = ctx.now();
    rotated.rotation.lastRotatedDate = now;
    const days = rotated.rotation.rules?.AutomaticallyAfterDays;
    if (days !== undefined) rotated.rotation.nextRotationDate = now + days * DAY_MS;
  });
  return { ARN: secret.arn, Name: secret.name, VersionId: token };
}
