import type { ParameterDeclaration, SecretDeclaration } from '../manifest';
import type { SensitiveValue } from '../redaction';

export interface DeclaredSecret {
  key: string;
  name: string;
  declaration: SecretDeclaration;
}

export interface DeclaredParameter {
  key: string;
  name: string;
  declaration: ParameterDeclaration;
}

export interface Declared {
  secrets: DeclaredSecret[];
  parameters: DeclaredParameter[];
}

/** One loaded version: the redacted, frozen value `get()` hands out, and what the leak guard scrubs. */
export interface LoadedVersion {
  value: unknown;
  versionId: string;
  sensitive: SensitiveValue[];
}

export interface GroupState {
  current: LoadedVersion | undefined;
  previous: LoadedVersion | undefined;
  /** An optional group that does not exist. */
  absent: boolean;
  /** Epoch ms of the last round that read this group successfully (changed or not). */
  lastRefreshAt: number | undefined;
  consecutiveFailures: number;
  lastErrorName: string | undefined;
  /** The newest AWSCURRENT failed its schema; the older value keeps serving. */
  rejectedVersionId: string | undefined;
}

export interface ParameterState {
  value: unknown;
  version: string | undefined;
}

/** Everything readers see; replaced whole by a refresh, so no reader sees half of one. */
export interface Snapshot {
  groups: ReadonlyMap<string, GroupState>;
  parameters: ReadonlyMap<string, ParameterState>;
  /** key -> current redacted value: the hot path of get(). */
  values: Readonly<Record<string, unknown>>;
  sensitive: readonly SensitiveValue[];
}
