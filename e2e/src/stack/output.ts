import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** Where the stack's lines go: the terminal for `npm run dev`, a buffer in the tests. */
export type OutputSink = (service: string, line: string) => void;

const WIDTH = 10;

/** Writes `service | line` to stdout, names padded so the columns line up. */
export const terminalSink: OutputSink = (service, line) => {
  process.stdout.write(`${service.padEnd(WIDTH)}| ${line}\n`);
};

/** Sends every line of a child's stream to the sink under the service's name. */
export function prefixLines(stream: Readable, service: string, sink: OutputSink): void {
  createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) =>
    sink(service, line),
  );
}
