/** The BullMQ queue the backend fills and the ai-worker drains. */
export const MARKET_SUMMARY_QUEUE = 'market-summary';

/**
 * The key prefix of the BullMQ queues in Redis. Producer and consumer must use the same one: a
 * worker under another prefix waits on an empty queue while the jobs pile up elsewhere.
 */
export const QUEUE_PREFIX = 'estate:bull';
