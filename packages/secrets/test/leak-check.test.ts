import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import { manifest } from '../../../apps/backend/src/secrets';
import { createSecretsLogger, loadSecrets, SecretsLoadError } from '../src';
import { generatedValues, random, seedBackend, startLocalAws } from './support/local-aws';
import { memoryLogger } from './support/memory-logger';

/**
 * Whole-path leak check: real generated values go through loading, errors, refreshes, rejections,
 * listeners and logging; nothing written to stdout, stderr, the package's logger, the leak-guard
 * logger, error messages or reports may contain any of them.
 */
it('no loaded value reaches stdout, stderr, logs, errors or reports', async () => {
  const captured: string[] = [];
  const originalStdout = process.stdout.write.bind(process.stdout);
  const originalStderr = process.stderr.write.bind(process.stderr);
  const capture = (original: typeof process.stdout.write) =>
    ((chunk: unknown, ...rest: never[]) => {
      captured.push(String(chunk));
      return original(chunk as string, ...rest);
    }) as typeof process.stdout.write;
  process.stdout.write = capture(originalStdout);
  process.stderr.write = capture(originalStderr);

  const aws = await startLocalAws();
  const log = memoryLogger();
  const pinoLines: string[] = [];
  const pinoOut = new Writable({
    write(chunk, _e, done) {
      pinoLines.push(String(chunk));
      done();
    },
  });
  // What a careless app would print; captured rather than shown, so the test output stays quiet.
  const printedOut: string[] = [];
  const console = new Console(
    new Writable({
      write(chunk, _e, done) {
        printedOut.push(String(chunk));
        done();
      },
    }),
  );
  const secretsSeen: string[] = [];
  try {
    const values = await seedBackend(aws);
    secretsSeen.push(
      values.database.password,
      values.redis.password,
      values.rabbitmq.url,
      new URL(values.rabbitmq.url).password,
      values.jwt.secret,
      values.ses.smtpPassword,
    );

    const loaded = await loadSecrets(
      manifest,
      aws.options({ logger: log.logger, refreshIntervalMs: 50, refreshDeadlineMs: 100 }),
    );
    const appLog = createSecretsLogger(loaded, {}, pinoOut);

    // Printing the container and values the ways people do by accident.
    const printed = [
      inspect(loaded),
      JSON.stringify(loaded),
      `${loaded}`,
      inspect(loaded.get('database')),
      JSON.stringify({ config: loaded.get('jwt') }),
      `${loaded.get('ses')}`,
      JSON.stringify(loaded.health()),
    ];
    console.log(printed.join('\n'));
    appLog.info({ db: loaded.get('database'), password: loaded.get('database').password }, 'connected');
    appLog.error({ err: new Error(`login failed with ${loaded.get('jwt').secret}`) }, 'oops');

    // A rotation, a weak value (rejected), an outage, a throwing listener.
    const weak = random(4);
    secretsSeen.push(weak);
    loaded.onChange('jwt', (next) => {
      throw new Error(`listener saw ${next.secret}`);
    });
    const rotated = generatedValues().jwt;
    secretsSeen.push(rotated.secret);
    await aws.putSecret('estate/dev/jwt', rotated);
    const reports = [await loaded.refresh()];
    await aws.putSecret('estate/dev/database', { ...values.database, password: weak });
    reports.push(await loaded.refresh());
    aws.endpoint.addFault({ kind: 'error500' });
    reports.push(await loaded.refresh());
    aws.endpoint.clearFaults();
    appLog.warn(`after rotation: ${loaded.get('jwt').secret} / ${loaded.previous('jwt')?.secret}`);
    console.log(JSON.stringify(reports), inspect(loaded.health(), { depth: 5 }));
    loaded.close();

    // A failing startup with a weak value: the error must carry names and paths only.
    await aws.putSecret('estate/dev/jwt', { ...rotated, secret: weak });
    const failure = await loadSecrets(manifest, aws.options()).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SecretsLoadError);
    console.error(inspect(failure, { depth: 10 }), String(failure), JSON.stringify(failure));

    const everything = [
      captured.join(''),
      printedOut.join(''),
      log.text(),
      pinoLines.join(''),
      inspect(failure, { depth: 10 }),
    ].join('\n');
    expect(everything).toContain('[redacted');
    for (const secret of secretsSeen) expect(everything).not.toContain(secret);
  } finally {
    process.stdout.write = originalStdout;
    process.stderr.write = originalStderr;
    await aws.stop();
  }
});
