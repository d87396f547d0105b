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

  it('abandons a step that outlives its bound and still runs the ones behind it', async () => {
    const logger = recordingLogger();
    const closed: string[] = [];
    const started = performance.now();
    const outcome = await drain(
      [
        { name: 'queue', close: hang, timeoutMs: 100 },
        { name: 'database', close: () => closed.push('database'), timeoutMs: 100 },
      ],
      { deadlineMs: 5_000, logger },
    );
    expect(performance.now() - started).toBeLessThan(1_000);
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
    const outcome = await drain(
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
      { deadlineMs: 800, logger: recordingLogger() },
    );
    expect(outcome.abandoned).toEqual(['worker']);
    expect(outcome.closed).toEqual(['database']);
    // The worker had 800 - 300 ms; timers fire late on a loaded machine, never early.
    expect(databaseStartedAt).toBeGreaterThanOrEqual(490);
    expect(databaseStartedAt).toBeLessThan(800);
  });

  it('abandons what the deadline leaves no time for', async () => {
    const started = performance.now();
    const outcome = await drain(
      [
        { name: 'server', close: hang, timeoutMs: 2_000 },
        { name: 'consumer', close: hang, timeoutMs: 2_000 },
      ],
      { deadlineMs: 300, logger: recordingLogger() },
    );
    expect(outcome.abandoned).toEqual(['server', 'consumer']);
    expect(performance.now() - started).toBeLessThan(1_000);
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
      // Deadline 1 s; the hanging step's bound is 300 ms.
      expect(performance.now() - sentAt).toBeLessThan(1_000);
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
