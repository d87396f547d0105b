#!/usr/bin/env node
// Runs the built job (dist/). From the workspace, without building: `pnpm --filter @estate/etl start run ...`.
require('../dist/main.js');
