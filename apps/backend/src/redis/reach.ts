/** Redis cannot be reached right now (down, restarting, reconnecting); asking again later may work. */
export class RedisUnavailableError extends Error {
  override readonly name: string = 'RedisUnavailableError';
}

/**
 * Runs a command on a client that has no offline queue, turning "Redis is not there" (before or
 * during the command) into RedisUnavailableError; any other error (a script error, a wrong type)
 * is thrown as it is.
 */
export async function reachRedis<T>(
  client: { readonly status: string },
  operation: () => Promise<T>,
): Promise<T> {
  if (client.status !== 'ready') throw new RedisUnavailableError(`Redis connection is ${client.status}`);
  try {
    return await operation();
  } catch (error) {
    if (client.status === 'ready' && !isConnectionError(error)) throw error;
    throw new RedisUnavailableError(`Redis connection is ${client.status}`, { cause: error });
  }
}

/** What ioredis throws when a command cannot reach Redis (no offline queue, retries spent, socket gone). */
function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (
    error.name === 'MaxRetriesPerRequestError' ||
    error.message.includes('enableOfflineQueue') ||
    error.message === 'Connection is closed.' ||
    error.message === 'Command timed out' || // commandTimeout: a frozen Redis
    (typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code))
  );
}
