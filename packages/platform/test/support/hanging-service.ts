import pino from 'pino';
import { drainOnSigterm } from '../../src';

// A service whose queue never closes (as BullMQ's close does while its Redis is frozen).
const logger = pino();
drainOnSigterm(
  () => [
    { name: 'server', close: () => {} },
    { name: 'queue', close: () => new Promise<void>(() => {}), timeoutMs: 300 },
    { name: 'database', close: async () => {} },
  ],
  { deadlineMs: 1_000, logger },
);
// Keeps the process alive until the signal, as a listening server would.
setInterval(() => {}, 60_000);
process.stdout.write('ready\n');
