export { MarketSummaryJob, marketSummaryJobId } from './market-summary';
export { changedPairs, EVENTS_EXCHANGE, MARKET_UPDATED, MarketUpdated } from './market-updated';
export { addMonths, monthsBetween, Period, periodOf, periodRange } from './period';
export { DataVersion, RegionCode } from './primitives';
export { MARKET_SUMMARY_QUEUE, QUEUE_PREFIX } from './queue';
