/**
 * `pnpm test:soak` sets ESTATE_SOAK=1: the reliability cases run their long variants (a five-minute
 * outage, a longer throttling storm, repeated broker and cache restarts). The test command runs the
 * short ones, bounded so the whole suite stays within CI's limit.
 */
export const SOAK = process.env.ESTATE_SOAK === '1';

/** The short value in the test command, the long one under `pnpm test:soak`. */
export function soak<T>(short: T, long: T): T {
  return SOAK ? long : short;
}
