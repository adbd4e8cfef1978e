#!/usr/bin/env node
'use strict';
// rvlms. CommonJS (bin/package.json) that requires the CLI, one CommonJS bundle
// (dist/cli.cjs; scripts/build.mjs says why). Node's own compile cache
// (module.enableCompileCache, Node 22.1 and later) keeps V8's compiled code of it between
// runs, keyed by Node version and file contents; Node ignores a cache it did not make for
// these bytes (test/cli/startup.test.ts). On Node 20 the bundle is simply compiled.
require('node:module').enableCompileCache?.();
// SIGUSR1 would open Node's inspector on 127.0.0.1:9229 (code execution for any local user
// who can signal the process); a listener of our own replaces that default.
process.on('SIGUSR1', () => {});
const cli = require('../dist/cli.cjs');
cli.run();
