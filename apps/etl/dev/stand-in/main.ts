import { startStandIn } from './server';

// `pnpm --filter @estate/etl stand-in [port] [--synthetic N]`: both APIs for a dev run of
// `estate-etl run`; with --synthetic, regions 9xxxx serve N generated deals a month (the bench).
const args = process.argv.slice(2);
const syntheticAt = args.indexOf('--synthetic');
const perPeriod = syntheticAt >= 0 ? Number(args[syntheticAt + 1]) : undefined;
const port = Number(args.find((arg, index) => /^\d+$/.test(arg) && index !== syntheticAt + 1) ?? '4580');
startStandIn({ port, ...(perPeriod ? { synthetic: { perPeriod } } : {}) }).then((standIn) => {
  process.stdout.write(
    `R-ONE and MOLIT stand-in on ${standIn.url}\n  kreb baseURL  ${standIn.roneBaseURL}\n  molit baseURL ${standIn.molitBaseURL}\n  faults        PUT/GET/DELETE ${standIn.url}/_control/faults\n`,
  );
});
