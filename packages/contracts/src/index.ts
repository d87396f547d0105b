export { MARKET_SUMMARY_QUEUE, MarketSummaryJob, marketSummaryJobId } from './market-summary';
export { changedPairs, EVENTS_EXCHANGE, MARKET_UPDATED, MarketUpdated } from './market-updated';
export { DataVersion, Period, RegionCode } from './primitives';
