import type { SourceError } from '../errors';

/** Told about every attempt of every AWS call (undefined error = success); feeds the API call metric. */
export type ApiCallObserver = (operation: string, error: SourceError | undefined) => void;
