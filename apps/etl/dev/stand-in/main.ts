import { startStandIn } from './server';

// `pnpm --filter @estate/etl stand-in [port]`: both APIs for a dev run of `estate-etl run`.
const port = Number(process.argv[2] ?? '4580');
startStandIn({ port }).then((standIn) => {
  process.stdout.write(
    `R-ONE and MOLIT stand-in on ${standIn.url}\n  kreb baseURL  ${standIn.roneBaseURL}\n  molit baseURL ${standIn.molitBaseURL}\n  faults        PUT/GET/DELETE ${standIn.url}/_control/faults\n`,
  );
});
