#!/usr/bin/env node
'use strict';
// rvlms. Start-up is most of what a `plan` costs, so this file (CommonJS: see
// bin/package.json) loads the whole CLI from one bundle, dist/cli.cjs, with the V8 code
// cache that the build made by running a plan (dist/cli.cjs.cache): V8 then skips parsing
// and compiling what a plan runs. The cache holds a copy of the bundle it was made from and
// is used only for those very bytes, by the Node version that made it, and only when its
// two copies of V8's data agree; V8 itself refuses it with other flags. Otherwise the
// bundle is simply compiled: the cache changes speed, never behaviour.
const { readFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

const MAGIC = 'rvlms-code-cache-2\n';
// The CommonJS wrapper, spelled out: the cache belongs to this exact source text.
const HEAD = '(function (exports, require, module, __filename, __dirname) { ';
const TAIL = '\n})';
// A cache is only offered to the Node that made it (V8 checks its own version and flags too).
const RUNTIME = `${process.version} ${process.arch} ${process.versions.v8}\n`;

const u32 = (n) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};

/**
 * The cache file's bytes: MAGIC, RUNTIME, the bundle (length-prefixed) and V8's data
 * (length-prefixed) twice. V8 does not checksum code caches in release builds and may crash
 * on a damaged one, so the loader compares the two copies (a memcmp) before use.
 */
function packCache(bundle, data) {
  return Buffer.concat([Buffer.from(MAGIC + RUNTIME, 'latin1'), u32(bundle.length), bundle, u32(data.length), data, data]);
}

/** V8's data from the cache file, if it was made by this Node from exactly `bundle` and is intact. */
function cachedDataFor(bundle, file) {
  let c;
  try {
    c = readFileSync(file);
  } catch {
    return undefined;
  }
  const head = MAGIC + RUNTIME;
  let at = head.length;
  if (c.length < at + 8 || c.toString('latin1', 0, at) !== head || c.readUInt32LE(at) !== bundle.length) return undefined;
  at += 4;
  if (!bundle.equals(c.subarray(at, at + bundle.length))) return undefined;
  at += bundle.length;
  const n = c.readUInt32LE(at);
  at += 4;
  if (c.length !== at + 2 * n) return undefined;
  const data = c.subarray(at, at + n);
  return data.equals(c.subarray(at + n)) ? data : undefined;
}

/** Load dist/cli.cjs (with its code cache unless told not to); its exports and the V8 script. */
function loadCli(options = {}) {
  const file = join(__dirname, '..', 'dist', 'cli.cjs');
  const bundle = readFileSync(file); // ASCII: the build checks
  const cachedData = options.cache === false ? undefined : cachedDataFor(bundle, file + '.cache');
  const script = new Script(HEAD + bundle.toString('latin1') + TAIL, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, createRequire(file), mod, file, dirname(file));
  return { exports: mod.exports, script, bundle, cacheUsed: cachedData !== undefined && !script.cachedDataRejected };
}

module.exports = { loadCli, packCache };

if (require.main === module) {
  // SIGUSR1 would open Node's inspector on 127.0.0.1:9229 (code execution for any local user
  // who can signal the process); a listener of our own replaces that default.
  process.on('SIGUSR1', () => {});
  loadCli().exports.run();
}
