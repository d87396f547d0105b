#!/usr/bin/env node
// Runs the built CLI (dist/). From the workspace, without building: `pnpm estate-secrets ...`.
require('../dist/main.js');
