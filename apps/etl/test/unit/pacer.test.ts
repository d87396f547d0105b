import { Pacer } from '../../src/sources/http';

/** A clock that only moves when told: each sleep is recorded with the time it would end. */
function manualClock(start: number) {
  const clock = {
    time: start,
    slots: [] as number[],
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.slots.push(clock.time + ms);
    },
  };
  return clock;
}

describe('Pacer', () => {
  test('callers asking at once get slots exactly one pace apart, in the order they asked', async () => {
    const clock = manualClock(1_000);
    const pacer = new Pacer(40, clock);
    await Promise.all([pacer.wait(), pacer.wait(), pacer.wait(), pacer.wait(), pacer.wait()]);
    // The first goes at once (no sleep); the others wait for 1040, 1080, 1120, 1160.
    expect(clock.slots).toEqual([1_040, 1_080, 1_120, 1_160]);
  });

  test('a caller that comes after the last slot has passed goes at once', async () => {
    const clock = manualClock(1_000);
    const pacer = new Pacer(40, clock);
    await pacer.wait();
    clock.time = 1_100;
    await pacer.wait();
    expect(clock.slots).toEqual([]);
  });

  test('a caller that comes while slots are taken waits for the next free one, not for a pace from now', async () => {
    const clock = manualClock(1_000);
    const pacer = new Pacer(40, clock);
    await Promise.all([pacer.wait(), pacer.wait()]); // slots 1000 and 1040
    clock.time = 1_010;
    await pacer.wait();
    expect(clock.slots).toEqual([1_040, 1_080]);
  });

  test('a pace of 0 never waits', async () => {
    const clock = manualClock(1_000);
    const pacer = new Pacer(0, clock);
    await Promise.all([pacer.wait(), pacer.wait(), pacer.wait()]);
    expect(clock.slots).toEqual([]);
  });
});
