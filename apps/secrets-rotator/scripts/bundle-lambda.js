// The rotation Lambda is zipped from dist/ (infrastructure/terraform/rotation.tf, handler
// `lambda.handler`), without node_modules: dist/lambda.js is therefore one self-contained CommonJS
// file (pg, zod, the catalog and the AWS SDK inlined, so it does not depend on the SDK version the
// runtime happens to ship). It replaces tsc's dist/lambda.js; the rest of dist/ is the library.
const { join } = require('node:path');
const { buildSync } = require('esbuild');

const root = join(__dirname, '..');
// `node scripts/bundle-lambda.js [outfile]`: the tests bundle into a temporary directory.
const outfile = process.argv[2] ?? join(root, 'dist/lambda.js');
buildSync({
  entryPoints: [join(root, 'src/lambda.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  // Workspace packages from their TypeScript sources, as the tests run them.
  conditions: ['estate-source'],
  // pg's optional native binding is never used.
  external: ['pg-native'],
  legalComments: 'none',
  logLevel: 'warning',
});
