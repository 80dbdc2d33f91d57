/**
 * The redactor finds a secret wherever it stands in a line (the prefixes the
 * tools put before a line, the syntaxes files write it in), hides a value it
 * once found wherever it appears later, and leaves non-secrets alone.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_LEARNED_SECRETS, Redactor } from './redact.ts';

const SECRET = 'Zq7x' + 'Kp2mW9vLr4Tn';

function hides(line: string, kind = /REDACTED/): void {
  const out = new Redactor().redact(line);
  assert.equal(out.includes(SECRET), false, `${JSON.stringify(line)} -> ${JSON.stringify(out)}`);
  assert.match(out, kind);
}

describe('a secret is found whatever stands before it', () => {
  const forms: Array<[string, string]> = [
    ['a .env line', `DB_PASSWORD=${SECRET}`],
    ['an indented .env line', `   DB_PASSWORD=${SECRET}`],
    ['export', `export API_KEY=${SECRET}`],
    ['the editor view (number, tab)', `    12\tDB_PASSWORD=${SECRET}`],
    ['cat -n in a PTY', `     3\tSECRET_TOKEN=${SECRET}\r`],
    ['a numbered line (n: )', `12: DB_PASSWORD=${SECRET}`],
    ['grep -n output', `config/.env:12:DB_PASSWORD=${SECRET}`],
    ['search_files output', `config/.env:12: DB_PASSWORD=${SECRET}`],
    ['a double-quoted value', `DB_PASSWORD="${SECRET}"`],
    ['a single-quoted value', `API_KEY='${SECRET}'`],
    ['JSON', `  "db_password": "${SECRET}",`],
    ['JSON after a grep prefix', `app.json:4:  "apiKey":"${SECRET}"`],
    ['YAML', `  password: ${SECRET}`],
    ['YAML, upper-case key', `      DB_PASSWORD: ${SECRET}`],
    ['YAML, quoted', `password: '${SECRET}'`],
    ['YAML with a comment', `secret_token: ${SECRET}  # rotate monthly`],
    ['YAML, numbered', `  7\tclient_secret: ${SECRET}`],
    ['INI', `password = ${SECRET}`],
    ['code, camelCase', `const secretToken = "${SECRET}";`],
    ['a dotted key', `spring.datasource.password: ${SECRET}`],
    ['an HTTP header line', `X-Auth-Token: ${SECRET}`],
  ];
  for (const [name, line] of forms) test(name, () => hides(line));

  test('a value painted by grep --color in a terminal', () => {
    const raw = `\x1b[35mconfig/.env\x1b[m\x1b[36m:\x1b[m\x1b[32m12\x1b[m\x1b[36m:\x1b[mDB_\x1b[01;31m\x1b[KPASSWORD\x1b[m\x1b[K=${SECRET.slice(0, 5)}\x1b[1m${SECRET.slice(5)}\x1b[m\r\n`;
    const out = new Redactor().redactTerminal(raw);
    assert.equal(out.includes(SECRET.slice(5)), false, out);
    assert.equal(out.includes(SECRET.slice(0, 5)), false, out);
    // The escapes inside the secret are kept, so the colours after it are as they were.
    assert.ok(out.endsWith('[REDACTED:env-secret]\x1b[1m\x1b[m\r\n'), JSON.stringify(out));
  });
});

describe('known token shapes are found bare', () => {
  const tokens: Array<[string, string]> = [
    ['anthropic-api-key', 'sk-ant-api03-' + 'a'.repeat(40)],
    ['openai-api-key', 'sk-proj-' + 'B1'.repeat(20)],
    ['github-token', 'ghp_' + 'c2'.repeat(18)],
    ['aws-access-key-id', 'AKIA' + 'ABCDEFGH12345678'],
    ['slack-token', 'xoxb-' + '1234567890-abcdefghij'],
    [
      'jwt',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.' + 'dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk',
    ],
  ];
  for (const [kind, token] of tokens) {
    test(kind, () => {
      const out = new Redactor().redact(`   4\tvalue ${token} end`);
      assert.equal(out, `   4\tvalue [REDACTED:${kind}] end`);
    });
  }
});

describe('redaction by value', () => {
  test('a value found once beside its key is hidden later without it', () => {
    const redactor = new Redactor();
    redactor.redact(`DB_PASSWORD=${SECRET}`);
    assert.equal(
      redactor.redact(`connecting with ${SECRET}...`),
      'connecting with [REDACTED:env-secret]...',
    );
  });

  test('in the same text, too', () => {
    const out = new Redactor().redact(`password: ${SECRET}\n$ echo "$P"\n${SECRET}\n`);
    assert.equal(out.includes(SECRET), false, out);
  });

  test('the secret variables of the environment are hidden by value; others are not', () => {
    const redactor = new Redactor();
    assert.equal(redactor.addSecretsFromEnv({ GITHUB_TOKEN: SECRET, HOME: '/home/someone' }), 1);
    assert.equal(redactor.redact(`${SECRET} /home/someone`), '[REDACTED:env-secret] /home/someone');
  });

  test('short values are hidden beside their key but not learned', () => {
    const redactor = new Redactor();
    assert.equal(redactor.redact('DB_PASSWORD=abc12'), 'DB_PASSWORD=[REDACTED:env-secret]');
    assert.equal(redactor.redact('abc12'), 'abc12');
  });

  test('learned values are bounded: the oldest is forgotten first', () => {
    const redactor = new Redactor();
    const value = (i: number) => `v4lue-${String(i).padStart(6, '0')}`;
    for (let i = 0; i <= MAX_LEARNED_SECRETS; i++) redactor.redact(`API_KEY=${value(i)}`);
    assert.equal(redactor.redact(value(0)), value(0));
    assert.equal(redactor.redact(value(MAX_LEARNED_SECRETS)), '[REDACTED:env-secret]');
  });
});

describe('non-secrets are left alone', () => {
  const samples = [
    'PORT=3000',
    'DEBUG=true',
    'USE_TOKEN=true',
    'password_min_length: 8',
    'passwordMinLength: 8',
    'TOKEN_URL=https://auth.example.com/token',
    'password: null',
    'token: string',
    'password: string;',
    '  password: Password',
    '  token?: string;',
    'password: req.body.password',
    'password = getpass()',
    'token = next',
    'def login(user: str, password: str) -> bool:',
    '  secret: ${{ secrets.DEPLOY_KEY }}',
    'password: <your-password>',
    'DB_PASSWORD=${POSTGRES_PASSWORD}',
    '"password": "abc"',
    'src/auth.ts:12:  if (password.length < 8) return false;',
    '    12\tconst token = await getToken();',
  ];
  for (const sample of samples) {
    test(`unchanged: ${sample}`, () => assert.equal(new Redactor().redact(sample), sample));
  }
});

describe('linear time', () => {
  // Lines built to make a backtracking rule rescan the rest of the line from every position.
  const adversarial = [
    'a=a'.repeat(30_000),
    'x-'.repeat(50_000),
    '-eyJ'.repeat(25_000),
    'a.'.repeat(50_000) + '://',
    'password: '.repeat(10_000) + 'x',
    '"k": "'.repeat(15_000),
    'a:'.repeat(50_000),
    `"password":${' '.repeat(50_000)}`,
  ];
  for (const line of adversarial) {
    test(`a ${line.length}-character line of ${JSON.stringify(line.slice(0, 8))}… is scanned quickly`, () => {
      // Not a timing assertion on the redactor's speed: a quadratic rule takes minutes here, a linear one milliseconds.
      const started = performance.now();
      new Redactor().redact(line);
      assert.ok(performance.now() - started < 2_000, `took ${performance.now() - started} ms`);
    });
  }
});
