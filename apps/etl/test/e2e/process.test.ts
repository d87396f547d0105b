import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Harness, resetData, snapshot, startHarness } from '../support/harness';

const APP = join(__dirname, '..', '..');
const ARGS = [
  '--from',
  '2023-01',
  '--to',
  '2024-03',
  '--regions',
  '11680,11650',
  '--tables',
  'A_2024_00045',
  '--pace-ms',
  '0',
];

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.cleanup());
beforeEach(async () => {
  h.standIn.faults.splice(0);
  await h.db.query('SELECT 1');
});

/** `node src/main.ts run ...` as the CronJob runs it, from source. */
function spawnJob(argv: string[], env: NodeJS.ProcessEnv = h.childEnv()) {
  const child = spawn(
    process.execPath,
    ['--conditions=estate-source', '--import', 'tsx', 'src/main.ts', ...argv],
    {
      cwd: APP,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, exited };
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}

const watermarks = async () =>
  (await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM etl_watermarks')).rows[0]!.n;
const running = async () =>
  (
    await h.db
      .query<{ n: number }>(`SELECT count(*)::int AS n FROM etl_runs WHERE status = 'running'`)
      .catch(() => ({ rows: [{ n: 0 }] }))
  ).rows[0]!.n;

describe('estate-etl as a process', () => {
  it('SIGKILL mid-run, then a resume: no duplicate, no gap, same data as one clean run', async () => {
    // Reference: one uninterrupted in-process run over the same range.
    const clean = await h.run(['run', ...ARGS]);
    expect(clean.exitCode).toBe(0);
    const reference = await snapshot(h.db);
    await resetData(h.db);

    h.standIn.faults.push(
      { source: 'rone', kind: 'delay', ms: 120 },
      { source: 'molit', kind: 'delay', ms: 120 },
    );
    const { child, exited } = spawnJob(['run', ...ARGS]);
    await waitFor(async () => (await watermarks()) >= 2);
    child.kill('SIGKILL');
    const killed = await exited;
    expect(killed.signal).toBe('SIGKILL');
    const marksAtKill = await watermarks();
    expect(marksAtKill).toBeLessThan(4); // it really stopped part-way (4 periods in the range have data)

    h.standIn.faults.splice(0);
    const resumed = spawnJob(['run', ...ARGS]);
    const result = await resumed.exited;
    expect(result.stderr).not.toContain('"level":50');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('already loaded');
    expect(await snapshot(h.db)).toEqual(reference);
    const { rows } = await h.db.query(`SELECT status, error FROM etl_runs ORDER BY started_at`);
    expect(rows.map((row) => row.status)).toEqual(['failed', 'succeeded']);
    expect(rows[0].error).toContain('abandoned');
  }, 90_000);

  it('two runs at once: the second exits 3 with a clear message and touches nothing', async () => {
    await resetData(h.db);
    h.standIn.faults.push(
      { source: 'rone', kind: 'delay', ms: 200 },
      { source: 'molit', kind: 'delay', ms: 200 },
    );
    const first = spawnJob(['run', ...ARGS]);
    await waitFor(async () => (await running()) === 1);
    const second = spawnJob(['run', ...ARGS]);
    const secondResult = await second.exited;
    expect(secondResult.code).toBe(3);
    expect(secondResult.stdout).toMatch(/another estate-etl run is in progress .*run etl-/);
    first.child.kill('SIGKILL');
    await first.exited;
  }, 60_000);

  it('secrets it cannot read: exit 1 with one line per secret, no value', async () => {
    const env = { ...h.childEnv(), AWS_ACCESS_KEY_ID: 'local-unknown' };
    const result = await spawnJob(['run', ...ARGS], env).exited;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('estate/dev/kreb');
    expect(result.stderr).toContain('secrets could not be loaded');
    expect(result.stderr).toMatch(/- estate\/dev\/kreb: \w+Exception/);
    expect(result.stderr).not.toContain(h.keys.kreb);
  }, 30_000);

  it('a usage error exits 2 and names the flag', async () => {
    const result = await spawnJob(['run', '--from', '2024-1']).exited;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--from must be a month as YYYY-MM');
  }, 30_000);

  it('child process logs carry no key', async () => {
    await resetData(h.db);
    const result = await spawnJob(['run', ...ARGS]).exited;
    expect(result.code).toBe(0);
    for (const key of [h.keys.kreb, h.keys.molit]) {
      expect(result.stderr).not.toContain(key);
      expect(result.stdout).not.toContain(key);
    }
    expect(result.stderr).toContain('period loaded');
  }, 30_000);
});
