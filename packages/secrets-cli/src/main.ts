import { run } from './run';

// The CLI's edge: process arguments, environment and streams enter here and nowhere else.
run(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`estate-secrets: ${(error as Error).name}: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
