import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Harness, resetData, snapshot, startHarness } from '../support/harness';

// The CronJob's image runs the built job: bin/estate-etl.js -> dist/main.js, the MOLIT page worker
// as dist/run/molit-pages/page-worker.js (plain JavaScript, no tsx), and the workspace packages
// through their `default` export (their dist/). Every other test runs the TypeScript source, so this
// one builds what the image builds (tsc -p tsconfig.build.json, in dependency order, as `turbo
// build` does) and checks that the built job loads exactly what the source job loads.
jest.setTimeout(240_000);

const ROOT = join(__dirname, '..', '..', '..', '..');
const APP = join(__dirname, '..', '..');
const BUILD_ORDER = [
  'packages/contracts',
  'packages/secrets',
  'packages/db',
  'packages/platform',
  'apps/etl',
];
const ARGS = [
  'run',
  '--from',
  '2024-01',
  '--to',
  '2024-03',
  '--regions',
  '11680,11650',
  '--tables',
  'A_2024_00045',
  '--pace-ms',
  '0',
];

const execFileAsync = promisify(execFile);

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  const tsc = require.resolve('typescript/bin/tsc', { paths: [ROOT] });
  for (const dir of BUILD_ORDER) {
    await execFileAsync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: join(ROOT, dir) });
  }
});
afterAll(() => h?.cleanup());

test('the built job (dist, page worker in JavaScript) loads the same rows as the source job', async () => {
  const fromSource = await h.run(ARGS);
  expect(fromSource.exitCode).toBe(0);
  const expected = await snapshot(h.db);
  await resetData(h.db);

  // No NODE_OPTIONS, no --conditions: what `node bin/estate-etl.js` sees in the image.
  const { NODE_OPTIONS: _ignored, ...env } = h.childEnv();
  const child = spawn(process.execPath, ['bin/estate-etl.js', ...ARGS], {
    cwd: APP,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`the built job exited ${code}:\n${output.slice(-3000)}`);
  expect(await snapshot(h.db)).toEqual(expected);
  expect(expected.deals).toMatch(/^[1-9]\d*:/);
  expect(output).not.toContain(h.keys.molit);
});
