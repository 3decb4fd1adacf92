/**
 * Reads settings from the environment. A bad value stops start-up with one line that names
 * the variable, what it got and what it wanted — never a stack trace.
 */
export class ConfigError extends Error {
  override name = "ConfigError";
}

type Env = Record<string, string | undefined>;

export type Setting<T> = (name: string, raw: string | undefined) => T;

export function integer(fallback: number, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}): Setting<number> {
  return (name, raw) => {
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new ConfigError(
        `${name}=${JSON.stringify(raw)} is not valid: expected a whole number from ${min} to ${max}`,
      );
    }
    return value;
  };
}

export const port = (fallback: number): Setting<number> => integer(fallback, { min: 0, max: 65535 });

export function text(fallback: string): Setting<string> {
  return (_name, raw) => (raw === undefined || raw === "" ? fallback : raw);
}

/** One of a few words, e.g. `oneOf(["refresh", "invalidate"])`; the first is the default. */
export function oneOf<const T extends string>(choices: readonly [T, ...T[]]): Setting<T> {
  return (name, raw) => {
    if (raw === undefined || raw === "") return choices[0];
    if (!(choices as readonly string[]).includes(raw)) {
      throw new ConfigError(`${name}=${JSON.stringify(raw)} is not valid: expected ${choices.join(" or ")}`);
    }
    return raw as T;
  };
}

export function optionalUrl(protocols: readonly string[]): Setting<string | undefined> {
  return (name, raw) => {
    if (raw === undefined || raw === "") return undefined;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ConfigError(
        `${name}=${JSON.stringify(raw)} is not a URL (expected ${protocols.join(" or ")}//…)`,
      );
    }
    if (!protocols.includes(url.protocol)) {
      throw new ConfigError(`${name}=${JSON.stringify(raw)} must start with ${protocols.join(" or ")}//`);
    }
    return raw;
  };
}

export type ConfigOf<S> = { [K in keyof S]: S[K] extends Setting<infer T> ? T : never };

/** Reads every setting of `spec` from `env`; the first bad one throws a ConfigError. */
export function readConfig<S extends Record<string, Setting<unknown>>>(
  spec: S,
  env: Env = process.env,
): ConfigOf<S> {
  const config: Record<string, unknown> = {};
  for (const [name, read] of Object.entries(spec)) config[name] = read(name, env[name]);
  return config as ConfigOf<S>;
}

/** For a process entry: a ConfigError becomes one line on stderr and exit code 1. */
export function readConfigOrExit<S extends Record<string, Setting<unknown>>>(
  spec: S,
  env: Env = process.env,
): ConfigOf<S> {
  try {
    return readConfig(spec, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`config error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
