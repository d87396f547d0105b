import type { Client, Pool, PoolClient } from 'pg';

/** Subscribes a listener to changes of the database secret; returns the unsubscribe function. */
export type ChangeSubscription = (listener: () => void) => () => void;

/**
 * After each change of the database secret, the pool's connections made before it are closed as
 * soon as they are not in use, so the pool reconnects with the new password (new connections read
 * it from the container) instead of keeping old sessions for as long as they stay busy.
 *
 * pg's Pool has no public way to close its idle clients. Instead, each client is stamped with a
 * generation when it connects; a change bumps the generation and drains the idle ones: it checks
 * out as many clients as are idle (`pool.connect()`) and gives stale ones back with
 * `release(true)`, which makes the pool destroy them. A stale client that was busy during the
 * change is ended when it is released.
 *
 * Usage: `recycleOnChange(pool, (listener) => secrets.onChange('database', listener))`.
 * Returns a function that stops recycling.
 */
export function recycleOnChange(pool: Pool, subscribe: ChangeSubscription): () => void {
  const generationOf = new WeakMap<PoolClient, number>();
  let generation = 0;
  let draining: Promise<void> | undefined;
  let drainAgain = false;

  const isStale = (client: PoolClient) => (generationOf.get(client) ?? -1) < generation;

  const onConnect = (client: PoolClient) => {
    generationOf.set(client, generation);
  };
  const onRelease = (error: Error | boolean | undefined, client: PoolClient) => {
    // A client released with an error is destroyed by the pool anyway. A stale one is ended here:
    // the pool checks right after this event whether the client is ending and then removes it
    // instead of keeping it idle (a test pins this, as it is pg-pool behaviour, not API). Under
    // steady load a released client is taken again at once, so waiting for it to be idle would
    // keep old connections for as long as the load lasts.
    if (!error && isStale(client)) void (client as PoolClient & Pick<Client, 'end'>).end().catch(() => {});
  };

  async function drainIdle(): Promise<void> {
    const count = pool.idleCount;
    if (count === 0 || pool.ending) return;
    const clients = await Promise.all(
      Array.from({ length: count }, () => pool.connect().catch(() => undefined)),
    );
    for (const client of clients) {
      if (!client) continue;
      client.release(isStale(client) ? true : undefined);
    }
  }

  function drain(): void {
    if (draining) {
      drainAgain = true;
      return;
    }
    draining = (async () => {
      do {
        drainAgain = false;
        await drainIdle();
      } while (drainAgain);
    })().finally(() => {
      draining = undefined;
    });
  }

  pool.on('connect', onConnect);
  pool.on('release', onRelease);
  const unsubscribe = subscribe(() => {
    generation += 1;
    drain();
  });
  return () => {
    unsubscribe();
    pool.off('connect', onConnect);
    pool.off('release', onRelease);
  };
}
