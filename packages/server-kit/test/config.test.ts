import { describe, expect, it } from "vitest";
import { ConfigError, integer, oneOf, optionalUrl, port, readConfig, text } from "../src/config.js";

const spec = {
  PORT: port(8000),
  HOST: text("127.0.0.1"),
  WORKERS: integer(2, { min: 1, max: 64 }),
  REDIS_URL: optionalUrl(["redis:", "rediss:"]),
  CACHE_ON_WRITE: oneOf(["refresh", "invalidate"]),
};

describe("readConfig", () => {
  it("uses the defaults when nothing is set", () => {
    expect(readConfig(spec, {})).toEqual({
      PORT: 8000,
      HOST: "127.0.0.1",
      WORKERS: 2,
      REDIS_URL: undefined,
      CACHE_ON_WRITE: "refresh",
    });
  });

  it("reads the values that are set", () => {
    const env = {
      PORT: "9000",
      HOST: "0.0.0.0",
      WORKERS: "4",
      REDIS_URL: "redis://localhost:6379",
      CACHE_ON_WRITE: "invalidate",
    };
    expect(readConfig(spec, env)).toEqual({ ...env, PORT: 9000, WORKERS: 4 });
  });

  it.each([
    [{ PORT: "eighty" }, 'PORT="eighty" is not valid: expected a whole number from 0 to 65535'],
    [{ PORT: "70000" }, 'PORT="70000" is not valid: expected a whole number from 0 to 65535'],
    [{ PORT: "80.5" }, 'PORT="80.5" is not valid: expected a whole number from 0 to 65535'],
    [{ WORKERS: "0" }, 'WORKERS="0" is not valid: expected a whole number from 1 to 64'],
    [{ REDIS_URL: "localhost:6379" }, 'REDIS_URL="localhost:6379" must start with redis: or rediss://'],
    [{ REDIS_URL: "not a url" }, 'REDIS_URL="not a url" is not a URL (expected redis: or rediss://…)'],
    [{ CACHE_ON_WRITE: "drop" }, 'CACHE_ON_WRITE="drop" is not valid: expected refresh or invalidate'],
  ])("stops on %o with one clear line", (env, message) => {
    expect(() => readConfig(spec, env)).toThrow(new ConfigError(message));
  });
});
