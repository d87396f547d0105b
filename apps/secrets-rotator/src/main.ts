import { runCli } from './cli';

// The CLI's edge: arguments, environment and streams enter here and nowhere else.
runCli(process.argv.slice(2), {
  env: process.env,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`estate-secrets-rotator: ${(error as Error).name}: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
