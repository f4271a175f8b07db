'use strict';
// Loads the search data, the vendored MiniSearch and search.js as classic
// scripts into this realm (as <script src> tags would in a page).
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const STATIC = path.resolve(__dirname, '../../cchc_site/static');

function load(dataFile, extraGlobals) {
  globalThis.window = globalThis;
  Object.assign(globalThis, extraGlobals || {});
  const started = performance.now();
  if (dataFile) vm.runInThisContext(fs.readFileSync(dataFile, 'utf8'), { filename: dataFile });
  const parsed = performance.now();
  vm.runInThisContext(fs.readFileSync(path.join(STATIC, 'vendor/minisearch.min.js'), 'utf8'), { filename: 'minisearch.min.js' });
  vm.runInThisContext(fs.readFileSync(path.join(STATIC, 'search.js'), 'utf8'), { filename: 'search.js' });
  return { api: globalThis.CCHCSearch, parseMs: parsed - started };
}

module.exports = { load, STATIC };
