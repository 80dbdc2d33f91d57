import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DEFAULT_RULES,
  MIN_EXACT_SECRET_LENGTH,
  redact,
  redactionMarker,
  Redactor,
  isSecretVariable,
} from './redact.ts';

// Fake credentials assembled at run time, so this file does not trip secret scanners.
const ANTHROPIC_KEY = [
  'sk',
  'ant',
  'api03',
  'Zx9yW8vU7tS6rQ5pO4nM3lK2jI1hG0fE-dC_bA9876543210',
].join('-');
const AWS_ID = 'AKIA' + 'IOSFODNN7EXAMPLE';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY' + 'EXAMPLEKEY';
const GITHUB_TOKEN = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
const PEM = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEowIBAAKCAQEA1c2',
  'bWFkZSB1cCBrZXkgbWF0ZXJpYWw=',
  '-----END RSA PRIVATE KEY-----',
].join('\n');

describe('redact: credentials by shape', () => {
  test('an Anthropic API key is replaced by its marker', () => {
    assert.equal(
      redact(`key is ${ANTHROPIC_KEY} here`),
      `key is ${redactionMarker('anthropic-api-key')} here`,
    );
  });

  test('an AWS access key id is replaced', () => {
    assert.equal(
      redact(`aws_access_key_id = ${AWS_ID}`),
      `aws_access_key_id = [REDACTED:aws-access-key-id]`,
    );
  });

  test('an AWS secret access key keeps its name and loses its value', () => {
    assert.equal(
      redact(`aws_secret_access_key = ${AWS_SECRET}`),
      'aws_secret_access_key = [REDACTED:aws-secret-access-key]',
    );
  });

  test('a GitHub token is replaced', () => {
    assert.equal(
      redact(`git clone https://${GITHUB_TOKEN}@github.com/o/r`),
      'git clone https://[REDACTED:github-token]@github.com/o/r',
    );
  });

  test('a whole private key block becomes one marker', () => {
    assert.equal(redact(`before\n${PEM}\nafter`), 'before\n[REDACTED:private-key]\nafter');
  });

  test('a private key block cut off before its END line is hidden to the end of the text', () => {
    const cut = PEM.split('\n').slice(0, 2).join('\n');
    assert.equal(redact(`x\n${cut}`), 'x\n[REDACTED:private-key]');
  });

  test('an Authorization: Bearer header keeps the scheme and hides the token', () => {
    assert.equal(
      redact('curl -H "Authorization: Bearer abcDEF123456ghiJKL" https://api'),
      'curl -H "Authorization: Bearer [REDACTED:authorization-header]" https://api',
    );
  });

  test('a bearer header naming a shell variable is left alone', () => {
    const text = 'curl -H "Authorization: Bearer $API_TOKEN" https://api';
    assert.equal(redact(text), text);
  });

  test('a password in a URL is hidden, the user name kept', () => {
    assert.equal(
      redact('postgres://app:s3cretpass@db:5432/x'),
      'postgres://app:[REDACTED:url-credentials]@db:5432/x',
    );
  });
});

describe('redact: env-style and config assignments', () => {
  test('PASSWORD=, SECRET= and TOKEN= values in a .env file are hidden', () => {
    const env =
      'DB_HOST=localhost\nDB_PASSWORD=hunter2\nexport APP_SECRET="abc def"\nGITHUB_TOKEN=xyz123\n';
    assert.equal(
      redact(env),
      'DB_HOST=localhost\nDB_PASSWORD=[REDACTED:env-secret]\nexport APP_SECRET=[REDACTED:env-secret]\nGITHUB_TOKEN=[REDACTED:env-secret]\n',
    );
  });

  test('an env variable that refers to another ($VAR, ${VAR}) is not a secret', () => {
    const env = 'DB_PASSWORD=${POSTGRES_PASSWORD}\nAPI_TOKEN=$TOKEN\n';
    assert.equal(redact(env), env);
  });

  test('variables describing a secret (TOKEN_URL, PASSWORD_FILE, MAX_TOKENS) keep their values', () => {
    const env =
      'TOKEN_URL=https://auth/x\nPASSWORD_FILE=/run/secrets/db\nMAX_TOKENS=4096\nPWD=/home/me\n';
    assert.equal(redact(env), env);
  });

  test('a quoted password in JSON is hidden', () => {
    assert.equal(
      redact('{"user": "a", "password": "hunter22"}'),
      '{"user": "a", "password": "[REDACTED:config-secret]"}',
    );
  });

  test('a camelCase apiKey literal in code is hidden', () => {
    assert.equal(
      redact("const apiKey = 'q8w7e6r5t4y3';"),
      "const apiKey = '[REDACTED:config-secret]';",
    );
  });
});

describe('redact: ordinary code is left alone', () => {
  const samples = [
    'const token = getToken();',
    'token = tokenizer.next()',
    'if (password.length < 8) throw new Error("too short");',
    'export const MAX_TOKENS = 4096;',
    'for (const key of Object.keys(secretStore)) {}',
    'const sk = "sk-short";',
    'function authorize(req) { return req.headers.authorization; }',
    'type: "token",',
    'DEBUG=true\nNODE_ENV=production',
    'API_TOKEN = os.environ["API_TOKEN"]',
    '[REDACTED:anthropic-api-key]',
  ];
  for (const sample of samples) {
    test(`unchanged: ${sample.split('\n')[0]}`, () => assert.equal(redact(sample), sample));
  }
});

describe('Redactor: registered values', () => {
  test('a registered value is hidden wherever it appears, even inside other text', () => {
    const redactor = new Redactor();
    redactor.addSecret('my-own-api-key-1234', 'api-key');
    assert.equal(redactor.redact('x=my-own-api-key-1234;y'), 'x=[REDACTED:api-key];y');
  });

  test('a value shorter than the minimum is refused', () => {
    const redactor = new Redactor();
    assert.equal(redactor.addSecret('a'.repeat(MIN_EXACT_SECRET_LENGTH - 1)), false);
    assert.equal(redactor.redact('aaaaaaa'), 'aaaaaaa');
  });

  test('regular-expression characters in a registered value are taken literally', () => {
    const redactor = new Redactor();
    redactor.addSecret('a.b*c+d?e(f)');
    assert.equal(
      redactor.redact('aXbbbcdef a.b*c+d?e(f)'),
      'aXbbbcdef [REDACTED:configured-secret]',
    );
  });

  test('scan counts replacements and names their kinds', () => {
    const result = new Redactor().scan(`${GITHUB_TOKEN} ${GITHUB_TOKEN}\nDB_PASSWORD=x1`);
    assert.equal(result.count, 3);
    assert.deepEqual(result.kinds, ['github-token', 'env-secret']);
  });

  test('redacting twice gives the same text as once', () => {
    const once = redact(`${ANTHROPIC_KEY}\n${PEM}\nDB_PASSWORD=x`);
    assert.equal(redact(once), once);
  });
});

describe('isSecretVariable', () => {
  test('names with a secret word as one of their parts are secret', () => {
    for (const name of [
      'PASSWORD',
      'db_password',
      'SECRET_KEY_BASE',
      'STRIPE_API_KEY',
      'AWS_ACCESS_KEY',
      'NPM_TOKEN',
    ]) {
      assert.equal(isSecretVariable(name), true, name);
    }
  });

  test('names merely containing the letters, or describing a secret, are not', () => {
    for (const name of [
      'TOKENIZERS_PARALLELISM',
      'MAX_TOKENS',
      'TOKEN_URL',
      'PASSWORD_FILE',
      'SECRETARY',
      'KEY',
    ]) {
      assert.equal(isSecretVariable(name), false, name);
    }
  });
});

describe('redact: the key rules look only at lines that name a secret', () => {
  test('a large file with secrets in many forms gives what a scan of every line gives', () => {
    // The same rules without their line hints scan every line: the reference.
    const everyLine = new Redactor({
      rules: DEFAULT_RULES.map(({ lineHint: _unused, ...rule }) => rule),
    });
    const secretLines = [
      `DB_PASSWORD=hunter2hunter2`,
      `export GITHUB_TOKEN='${GITHUB_TOKEN}'`,
      `    "clientSecret": "abc123def456ghi"`,
      `  apiKey = 'k3y-v4lu3-xyz'`,
      `password: s3cr3tValue9`,
      `aws_secret_access_key = ${AWS_SECRET}`,
      `src/app.ts:12:  const token = "t0k3n-literal-9";`,
      `Credentials = plainValue42`,
    ];
    const code = [
      'const total = items.reduce((sum, item) => sum + item.price, 0);',
      'token = next();',
      'for (const key of Object.keys(map)) out[key] = map[key];',
      'PORT=3000',
      'password: string;',
    ];
    const lines: string[] = [];
    for (let i = 0; i < 400; i++) {
      lines.push(`${String(i + 1).padStart(6)}\t${code[i % code.length]}`);
      if (i % 50 === 0) lines.push(`${String(i + 1).padStart(6)}\t${secretLines[(i / 50) % 8]}`);
    }
    // No newline at the end, and CRLF lines: a line ends at the text's end or before `\n`.
    const text = lines.join('\r\n') + '\nSESSION_SECRET=last-line-value';
    const filtered = new Redactor().scan(text);
    const reference = everyLine.scan(text);
    assert.equal(filtered.text, reference.text);
    assert.equal(filtered.count, reference.count);
    assert.ok(filtered.count >= 9, `found ${filtered.count}`);
    assert.ok(!filtered.text.includes('hunter2hunter2'));
    assert.ok(!filtered.text.includes('last-line-value'));
    assert.ok(filtered.text.includes('token = next();'));
  });
});
