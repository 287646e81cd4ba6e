import { describe, expect, it } from "vitest";
import { clientKey } from "../../src/http/client-address.js";

describe("clientKey", () => {
  it("keeps an IPv4 address, also one mapped into IPv6", () => {
    expect(clientKey("203.0.113.7")).toBe("203.0.113.7");
    expect(clientKey("::ffff:203.0.113.7")).toBe("::ffff:203.0.113.7");
  });

  it("counts an IPv6 client by its /64, however the address is written", () => {
    const key = clientKey("2001:db8:85a3:42::8a2e:370:7334");
    expect(key).toBe("2001:db8:85a3:42::/64");
    expect(clientKey("2001:0db8:85a3:0042:ffff:ffff:ffff:ffff")).toBe(key);
    expect(clientKey("2001:DB8:85A3:42::1")).toBe(key);
    expect(clientKey("2001:db8:85a3:43::1")).not.toBe(key);
    expect(clientKey("::1")).toBe("0:0:0:0::/64");
    expect(clientKey("fe80::1")).toBe("fe80:0:0:0::/64");
  });
});
