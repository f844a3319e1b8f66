import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { bypassesProxy, describeProxy, proxyFor } from "../../../client/http/proxy.ts";

const env = { HTTPS_PROXY: "http://user:pa55@proxy.corp:3128", http_proxy: "http://plain.corp:8080" };

describe("proxy selection", () => {
  it("uses HTTPS_PROXY for https and HTTP_PROXY for http, lower-case names first", () => {
    assert.equal(proxyFor(new URL("https://vault.internal:8200"), env), env.HTTPS_PROXY);
    assert.equal(proxyFor(new URL("http://vault.internal:8200"), env), env.http_proxy);
    assert.equal(proxyFor(new URL("https://x"), { https_proxy: "http://a:1", HTTPS_PROXY: "http://b:2" }), "http://a:1");
  });

  it("goes direct for NO_PROXY hosts, suffixes, ports and *", () => {
    const url = new URL("https://vault.internal.acme.com:8200");
    assert.ok(bypassesProxy(url, "example.org, .acme.com"));
    assert.ok(bypassesProxy(url, "*.internal.acme.com"));
    assert.ok(bypassesProxy(url, "vault.internal.acme.com:8200"));
    assert.ok(!bypassesProxy(url, "vault.internal.acme.com:443"));
    assert.ok(!bypassesProxy(url, "acme.co"));
    assert.ok(bypassesProxy(url, "*"));
    assert.equal(proxyFor(url, { ...env, NO_PROXY: "acme.com" }), undefined);
  });

  it("never proxies loopback", () => {
    assert.equal(proxyFor(new URL("http://127.0.0.1:8200"), env), undefined);
    assert.equal(proxyFor(new URL("http://localhost:8200"), env), undefined);
  });

  it("describes a proxy without its credentials", () => {
    assert.equal(describeProxy(env.HTTPS_PROXY), "http://proxy.corp:3128");
  });
});
