import { ConfigError, optionalUrl, type Setting } from "@zero-to-one/server-kit";

/** A URL fit for a log line: its password, if any, left out (`redis://…@host:6379`). */
export const redacted = (url: string) => url.replace(/\/\/[^@/]*@/, "//…@");

/**
 * A URL setting that may carry a password (`REDIS_URL=redis://:password@host:6379`). Secrets come
 * from the environment only, and are never repeated in full: not in the start-up line, and not in
 * the error about a malformed value either.
 */
export const secretUrl =
  (protocols: readonly string[]): Setting<string | undefined> =>
  (name, raw) => {
    try {
      return optionalUrl(protocols)(name, raw);
    } catch (error) {
      if (!(error instanceof ConfigError) || raw === undefined) throw error;
      throw new ConfigError(error.message.replaceAll(JSON.stringify(raw), JSON.stringify(redacted(raw))));
    }
  };
