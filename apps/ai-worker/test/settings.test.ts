import { settingsFromEnvironment } from '../src/settings';

describe('settingsFromEnvironment', () => {
  it('defaults to the backend queue prefix, port 3001 and BullMQ timings', () => {
    expect(settingsFromEnvironment({})).toEqual({
      healthPort: 3001,
      queuePrefix: 'estate:bull',
      lockDurationMs: 30_000,
      stalledIntervalMs: 30_000,
      shutdownDeadlineMs: 8_000,
    });
  });

  it('reads overrides and names a bad variable', () => {
    expect(settingsFromEnvironment({ HEALTH_PORT: '0', AI_WORKER_STALLED_INTERVAL_MS: '500' })).toMatchObject(
      {
        healthPort: 0,
        stalledIntervalMs: 500,
      },
    );
    expect(() => settingsFromEnvironment({ AI_WORKER_LOCK_DURATION_MS: '-1' })).toThrow(
      /invalid environment: AI_WORKER_LOCK_DURATION_MS: /,
    );
  });
});
