/**
 * The first step of `npm start`, `npm test` and the other entry scripts: on a
 * Node too old to run TypeScript directly, say which version is needed
 * (from package.json's `engines`) instead of Node's "Unknown file extension
 * .ts". Plain CommonJS on purpose: it must run on any Node.
 */
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: it must load on any Node. */
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const engines = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')).engines;
const wanted = engines.node;

function parts(version) {
  return version.replace(/^v/, '').split('.').map(Number);
}

function atLeast(have, min) {
  for (let i = 0; i < 3; i++) if (have[i] !== min[i]) return have[i] > min[i];
  return true;
}

/** The `^x.y.z` and `>=x.y.z` alternatives that package.json uses. */
function satisfies(version, range) {
  const have = parts(version);
  return range.split('||').some((alternative) => {
    const match = /^\s*(\^|>=)\s*(\d+\.\d+\.\d+)\s*$/.exec(alternative);
    if (!match) return false;
    const min = parts(match[2]);
    return atLeast(have, min) && (match[1] === '>=' || have[0] === min[0]);
  });
}

if (!satisfies(process.version, wanted)) {
  console.error(
    `Troika needs Node.js ${wanted
      .split('||')
      .map((s) => s.trim())
      .join(
        ' or ',
      )} (it runs its TypeScript directly); this is Node ${process.version} at ${process.execPath}.\n` +
      'Install Node 22 (`nvm install 22`, as .nvmrc says), or run `bash .ci/run`, which brings Node 22 into .tools/.',
  );
  process.exit(1);
}
