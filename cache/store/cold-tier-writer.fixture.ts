/**
 * Test fixture (not a test): a second process writing to a shared cold
 * database. Usage: node cold-tier-writer.fixture.ts <file> <prefix> <count>
 */
import { ColdTier } from './cold-tier.ts';

const [file, prefix, countText] = process.argv.slice(2);
if (file === undefined || prefix === undefined || countText === undefined)
  throw new Error('usage: <file> <prefix> <count>');
const tier = ColdTier.open({
  file,
  maxBytes: 1024 * 1024 * 1024,
  onWarning: (message) => {
    process.stderr.write(`warning: ${message}\n`);
    process.exitCode = 2;
  },
});
const count = Number(countText);
for (let index = 0; index < count; index++) {
  tier.put({
    key: `${prefix}-${index}`,
    payload: `value ${prefix} ${index}`,
    encoding: 'string',
    tokens: 1,
    deps: [{ path: `src/${index % 50}.ts`, kind: 'file', hash: `h${index % 7}` }],
    bytes: 100,
    expiresAt: Date.now() + 60_000,
  });
  // Small transactions, often: the most interleaving with the other writer.
  if (index % 25 === 24) tier.flush();
  if (index % 10 === 0) tier.get(`${prefix}-${index >> 1}`);
}
tier.invalidate([{ path: 'src/0.ts', hash: 'no-such-hash-keeps-nothing-from-src0' }]);
tier.close();
