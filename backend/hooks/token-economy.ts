/**
 * The token economy's three switches, each on or off on its own, globally
 * (settings, environment) or for one agent:
 *
 * - `tokenCache`: a repeated read of unchanged files is answered from the
 *   token cache without running the tool (the result is still sent);
 * - `references`: a repeated read whose earlier result the model still sees
 *   is answered with a short reference to it;
 * - `clearing`: older tool results are cleared from what each request sends.
 *
 * Precedence, most specific first: the agent's own choice, the settings, the
 * environment (`TROIKA_TOKEN_CACHE`, `TROIKA_REFERENCES`, `TROIKA_CLEARING`:
 * `0`, `off`, `false` or `no` turn one off, `1`, `on`, `true`, `yes` on), then on.
 */
export interface TokenEconomy {
  readonly tokenCache: boolean;
  readonly references: boolean;
  readonly clearing: boolean;
}

export type TokenEconomySwitch = keyof TokenEconomy;

export const TOKEN_ECONOMY_SWITCHES: readonly TokenEconomySwitch[] = [
  'tokenCache',
  'references',
  'clearing',
];

export const TOKEN_ECONOMY_ON: TokenEconomy = {
  tokenCache: true,
  references: true,
  clearing: true,
};
export const TOKEN_ECONOMY_OFF: TokenEconomy = {
  tokenCache: false,
  references: false,
  clearing: false,
};

export const TOKEN_ECONOMY_ENV: Readonly<Record<TokenEconomySwitch, string>> = {
  tokenCache: 'TROIKA_TOKEN_CACHE',
  references: 'TROIKA_REFERENCES',
  clearing: 'TROIKA_CLEARING',
};

const OFF = new Set(['0', 'off', 'false', 'no']);
const ON = new Set(['1', 'on', 'true', 'yes']);

/** The switches the environment sets; a value that is neither on nor off is an error naming the variable. */
export function economyFromEnv(env: NodeJS.ProcessEnv): Partial<TokenEconomy> {
  const found: Partial<Record<TokenEconomySwitch, boolean>> = {};
  for (const name of TOKEN_ECONOMY_SWITCHES) {
    const variable = TOKEN_ECONOMY_ENV[name];
    const raw = env[variable]?.trim().toLowerCase();
    if (raw === undefined || raw === '') continue;
    if (OFF.has(raw)) found[name] = false;
    else if (ON.has(raw)) found[name] = true;
    else
      throw new Error(
        `${variable}=${JSON.stringify(env[variable])} is not a switch value: use 1/0, on/off, true/false or yes/no`,
      );
  }
  return found;
}

/** The switches in force: each layer (most specific first) sets what it names; the rest stay on. */
export function resolveEconomy(
  ...layers: ReadonlyArray<Partial<TokenEconomy> | undefined>
): TokenEconomy {
  const result = { ...TOKEN_ECONOMY_ON };
  for (const name of TOKEN_ECONOMY_SWITCHES) {
    const layer = layers.find((l) => l?.[name] !== undefined);
    if (layer !== undefined) result[name] = layer[name] as boolean;
  }
  return result;
}
