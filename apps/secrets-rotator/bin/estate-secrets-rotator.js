#!/usr/bin/env node
// Runs the built CLI (dist/). From the workspace, without building: `pnpm --filter @estate/secrets-rotator cli ...`.
require('../dist/main.js');
