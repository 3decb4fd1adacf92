import { ConfigError, type Setting } from "@zero-to-one/server-kit";
import { describe, expect, it } from "vitest";

export interface ClientAddressOptions {
  /** The stage's clientAddress: the peer, or what the trusted proxy wrote in X-Forwarded-For. */
  clientAddress: (
    peer: string | undefined,
    forwardedFor: string | undefined,
    trustedProxies: ReadonlySet<string>,
  ) => string | undefined;
  /** The stage's addressList: a reader of TRUSTED_PROXY with its default. */
  addressList: (fallback: string) => Setting<ReadonlySet<string>>;
}

const proxy = new Set(["127.0.0.1"]);

/** Whom a clustered stage (05+) takes for the client behind nginx, and how it reads TRUSTED_PROXY. */
export function describeClientAddress({ clientAddress, addressList }: ClientAddressOptions) {
  describe("the client address behind a proxy", () => {
    it("believes X-Forwarded-For only from the trusted proxy, and only the entry the proxy wrote", () => {
      // nginx appends what it saw: the client's own "6.6.6.6" comes first and proves nothing
      expect(clientAddress("127.0.0.1", "6.6.6.6, 198.51.100.7", proxy)).toBe("198.51.100.7");
      expect(clientAddress("127.0.0.1", "198.51.100.7", proxy)).toBe("198.51.100.7");
      expect(clientAddress("::ffff:127.0.0.1", "2001:db8::1", proxy)).toBe("2001:db8::1");
    });

    it("ignores the header from anyone else: the peer is the client", () => {
      expect(clientAddress("203.0.113.5", "6.6.6.6", proxy)).toBe("203.0.113.5");
      expect(clientAddress("::ffff:203.0.113.5", "6.6.6.6", proxy)).toBe("203.0.113.5");
      expect(clientAddress("127.0.0.1", "6.6.6.6", new Set())).toBe("127.0.0.1");
    });

    it("falls back to the peer when the proxy's entry is not an address", () => {
      expect(clientAddress("127.0.0.1", "", proxy)).toBe("127.0.0.1");
      expect(clientAddress("127.0.0.1", "1.2.3.4, unknown", proxy)).toBe("127.0.0.1");
      expect(clientAddress("127.0.0.1", undefined, proxy)).toBe("127.0.0.1");
      expect(clientAddress(undefined, "1.2.3.4", proxy)).toBeUndefined();
    });

    it("reads TRUSTED_PROXY as a list of addresses, `none`, or the default", () => {
      const read = addressList("127.0.0.1");
      expect([...read("TRUSTED_PROXY", undefined)]).toEqual(["127.0.0.1"]);
      expect([...read("TRUSTED_PROXY", "10.0.0.5, ::1")]).toEqual(["10.0.0.5", "::1"]);
      expect(read("TRUSTED_PROXY", "none").size).toBe(0);
      expect(() => read("TRUSTED_PROXY", "10.0.0.0/8")).toThrow(ConfigError);
      expect(() => read("TRUSTED_PROXY", "localhost")).toThrow(/"localhost" is not an IP address/);
    });
  });
}
