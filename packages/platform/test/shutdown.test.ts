import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { drain, type ShutdownLogger, type ShutdownStep, shutdownDeadlineFromEnvironment } from '../src';

function recordingLogger(): ShutdownLogger & { lines: Array<{ object: object; message: string }> } {
  const lines: Array<{ object: object; message: string }> = [];
  const record = (object: object, message: string) => lines.push({ object, message });
  return { lines, info: record, warn: record, error: record };
}

const hang = () => new Promise<void>(() => {});

describe('drain', () => {
  it('closes the steps in order and reports each as closed', async () => {
    const order: string[] = [];
    const step = (name: string): ShutdownStep => ({
      name,
      close: async () => {
        order.push(name);
      },
    });
    const outcome = await drain([step('server'), step('queue'), { name: 'redis', close: () => {} }], {
      deadlineMs: 1_000,
      logger: recordingLogger(),
    });
    expect(order).toEqual(['server', 'queue']);
    expect(outcome).toEqual({ closed: ['server', 'queue', 'redis'], abandoned: [], failed: [] });
  });

  // Bounds are timers: these run on Jest's fake clock, so they hold to the millisecond whatever
  // else the machine is doing.
  describe('on a fake clock', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    /** Runs drain and advances the clock until it resolves; returns its outcome and the fake time spent. */
    async function drainOnFakeClock(steps: ShutdownStep[], deadlineMs: number, logger = recordingLogger()) {
      const started = performance.now();
      let outcome: Awaited<ReturnType<typeof drain>> | undefined;
      void drain(steps, { deadlineMs, logger }).then((result) => {
        outcome = result;
      });
      while (!outcome) await jest.advanceTimersByTimeAsync(1);
      return { outcome, elapsedMs: performance.now() - started };
    }

    it('abandons a step that outlives its bound and still runs the ones behind it', async () => {
      const logger = recordingLogger();
      const closed: string[] = [];
      const { outcome, elapsedMs } = await drainOnFakeClock(
        [
          { name: 'queue', close: hang, timeoutMs: 100 },
          { name: 'database', close: () => closed.push('database'), timeoutMs: 100 },
        ],
        5_000,
        logger,
      );
      expect(elapsedMs).toBe(100);
      expect(outcome).toEqual({ closed: ['database'], abandoned: ['queue'], failed: [] });
      expect(closed).toEqual(['database']);
      expect(logger.lines).toContainEqual({
        object: { step: 'queue', budgetMs: 100 },
        message: 'shutdown step abandoned',
      });
    });

    it('gives an unbounded step the deadline minus the bounds of the steps behind it', async () => {
      const started = performance.now();
      let databaseStartedAt = 0;
      const { outcome } = await drainOnFakeClock(
        [
          { name: 'worker', close: hang },
          {
            name: 'database',
            close: () => {
              databaseStartedAt = performance.now() - started;
            },
            timeoutMs: 300,
          },
        ],
        800,
      );
      expect(outcome.abandoned).toEqual(['worker']);
      expect(outcome.closed).toEqual(['database']);
      expect(databaseStartedAt).toBe(500);
    });

    it('abandons what the deadline leaves no time for', async () => {
      const { outcome, elapsedMs } = await drainOnFakeClock(
        [
          { name: 'server', close: hang, timeoutMs: 2_000 },
          { name: 'consumer', close: hang, timeoutMs: 2_000 },
        ],
        300,
      );
      expect(outcome.abandoned).toEqual(['server', 'consumer']);
      // 300 ms for the server, then the consumer's zero budget (a timer fires after 1 ms at least).
      expect(elapsedMs).toBe(301);
    });
  });

  it('reports a failed step by its name and the error name, never the message', async () => {
    const logger = recordingLogger();
    const outcome = await drain(
      [
        {
          name: 'consumer',
          close: async () => {
            throw new TypeError('amqp://user:hunter2@broker failed');
          },
        },
        { name: 'database', close: () => {} },
      ],
      { deadlineMs: 1_000, logger },
    );
    expect(outcome).toEqual({ closed: ['database'], abandoned: [], failed: ['consumer'] });
    expect(JSON.stringify(logger.lines)).toContain('"errorName":"TypeError"');
    expect(JSON.stringify(logger.lines)).not.toContain('hunter2');
  });
});

describe('drainOnSigterm', () => {
  it('exits 1 soon after SIGTERM when a step hangs, naming the step it abandoned', async () => {
    const child = spawn(
      process.execPath,
      ['--conditions=estate-source', '--import', 'tsx', join(__dirname, 'support', 'hanging-service.ts')],
      { cwd: join(__dirname, '..'), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      let output = '';
      let sentAt = 0;
      const collect = (chunk: Buffer) => {
        output += chunk;
        if (sentAt === 0 && output.includes('ready\n')) {
          sentAt = performance.now();
          child.kill('SIGTERM');
        }
      };
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      const code = await new Promise<number | null>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no exit within 20 s: ${output}`)), 20_000);
        child.once('exit', (exitCode) => {
          clearTimeout(timer);
          resolve(exitCode);
        });
      });
      // Deadline 1 s and the hanging step's bound 300 ms: the exit comes about 0.3 s after the
      // signal. The assertion is the services' promise (within 10 s), not this machine's timing.
      expect(performance.now() - sentAt).toBeLessThan(10_000);
      expect(code).toBe(1);
      expect(output).toContain('"msg":"SIGTERM: draining"');
      expect(output).toContain('"step":"queue","budgetMs":300,"msg":"shutdown step abandoned"');
      expect(output).toContain(
        '"abandoned":["queue"],"failed":[],"deadlineMs":1000,"msg":"shutdown incomplete; exiting"',
      );
      expect(output).not.toContain('"msg":"stopped"');
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('shutdownDeadlineFromEnvironment', () => {
  it('defaults to 8 s, reads SHUTDOWN_DEADLINE_MS and names a bad value', () => {
    expect(shutdownDeadlineFromEnvironment({})).toBe(8_000);
    expect(shutdownDeadlineFromEnvironment({ SHUTDOWN_DEADLINE_MS: '2500' })).toBe(2_500);
    expect(() => shutdownDeadlineFromEnvironment({ SHUTDOWN_DEADLINE_MS: '-1' })).toThrow(
      /^SHUTDOWN_DEADLINE_MS: /,
    );
  });
});
