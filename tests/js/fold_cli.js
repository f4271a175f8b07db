'use strict';
// stdin: JSON list of strings; stdout: JSON list of [fold, tokens] by search.js.
const { load } = require('./harness');
const { api } = load(null);
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify({
  unicode: api.UNICODE_VERSION,
  results: input.map((s) => [api.fold(s), api.tokenize(s)]),
}));
