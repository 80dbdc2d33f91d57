import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readCookie, readCookies } from './access.ts';

describe('reading the token cookie', () => {
  test('a well-formed value is decoded', () => {
    assert.equal(readCookie('a=1; troika_token_9=ab%2Dc', 'troika_token_9'), 'ab-c');
  });

  test('a value that is not valid percent-encoding counts as absent instead of throwing', () => {
    for (const value of ['%E0', '%', '%%', '%zz', '%C3%28']) {
      assert.equal(readCookie(`troika_token_9=${value}`, 'troika_token_9'), undefined, value);
    }
  });

  test('every value of a repeated name is read, so a planted one cannot hide ours', () => {
    assert.deepEqual(
      readCookies(
        'troika_token_9=%E0; troika_token_9=planted; x=1; troika_token_9=ours',
        'troika_token_9',
      ),
      ['planted', 'ours'],
    );
  });

  test('other names and empty headers give nothing', () => {
    assert.deepEqual(readCookies('troika_token_90=x; =y; troika_token_9', 'troika_token_9'), []);
    assert.deepEqual(readCookies(undefined, 'troika_token_9'), []);
  });
});
