// The clusters keybridge dev plays: tokens with the real claim shape, reviewed as a TokenReview
// would (signature of this cluster, expiry by the injected clock, audiences), and Vault's
// Kubernetes login refusing a token of another cluster.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { decodeJwt } from "jose";
import { Clusters } from "../../../dev/kubernetes/clusters.ts";
import { clusterKey } from "../../../dev/kubernetes/cluster-host.ts";

function clock(start = Date.UTC(2026, 11, 6)) {
  let now = start;
  return { now: () => now, advance: (seconds: number) => void (now += seconds * 1000) };
}

describe("the service-account issuer", () => {
  it("names a cluster by its API host, whatever form the config gives it", () => {
    for (const host of ["https://gpu-prod.k8s.internal:6443", "gpu-prod.k8s.internal:6443", "HTTPS://GPU-PROD.k8s.internal:6443/"]) assert.equal(clusterKey(host), "gpu-prod.k8s.internal:6443");
    assert.equal(clusterKey("https://kubernetes.default.svc:443"), "kubernetes.default.svc");
    assert.throws(() => clusterKey("https://host/path"), /KB_DEV_CONFIG_INVALID|not a Kubernetes API host/);
  });

  it("mints bound tokens with the claims a cluster's TokenRequest gives", async () => {
    const time = clock();
    const issuer = await new Clusters(time.now).issuer("https://gpu-prod.k8s.internal:6443");
    const { token } = await issuer.mint({ namespace: "ml", serviceAccount: "trainer", audiences: ["vault"], expirationSeconds: 600, pod: "trainer-0" });
    const claims = decodeJwt(token);
    assert.equal(claims.iss, "https://gpu-prod.k8s.internal:6443");
    assert.equal(claims.sub, "system:serviceaccount:ml:trainer");
    assert.deepEqual(claims.aud, ["vault"]);
    assert.equal(claims.exp, Number(claims.iat) + 600);
    const kubernetes = claims["kubernetes.io"] as { namespace: string; serviceaccount: { name: string; uid: string }; pod: { name: string } };
    assert.equal(kubernetes.namespace, "ml");
    assert.equal(kubernetes.serviceaccount.uid, issuer.uidOf("ml", "trainer"), "one UID per service account");
    assert.equal(kubernetes.pod.name, "trainer-0");
  });

  it("reviews its own tokens, and refuses another cluster's, an expired one and a foreign audience", async () => {
    const time = clock();
    const clusters = new Clusters(time.now);
    const prod = await clusters.issuer("gpu-prod:6443");
    const dev = await clusters.issuer("gpu-dev:6443");
    const { token } = await prod.mint({ namespace: "ml", serviceAccount: "trainer", audiences: ["vault"], expirationSeconds: 600 });
    const review = await prod.review(token, ["vault"]);
    assert.ok(review.authenticated);
    assert.equal(review.user.username, "system:serviceaccount:ml:trainer");
    assert.deepEqual(review.audiences, ["vault"]);
    assert.deepEqual(review.user.groups, ["system:serviceaccounts", "system:serviceaccounts:ml", "system:authenticated"]);
    assert.equal((await dev.review(token, ["vault"])).authenticated, false, "another cluster's key");
    assert.equal((await prod.review(token, ["infisical"])).authenticated, false, "an audience the token lacks");
    assert.equal((await prod.review(token, [])).authenticated, false, "the API server's own audience, which the token lacks");
    time.advance(601);
    const expired = await prod.review(token, ["vault"]);
    assert.deepEqual(expired, { authenticated: false, error: "[token has expired]" });
  });

  it("mints in the only configured cluster by default, and asks for a name when there are several", () => {
    const clusters = new Clusters(Date.now);
    assert.equal(clusters.defaultCluster(), "kubernetes.default.svc");
    clusters.noteConfigured("https://a.internal:6443");
    assert.equal(clusters.defaultCluster(), "a.internal:6443");
    clusters.noteConfigured("b.internal:6443");
    assert.throws(() => clusters.defaultCluster(), /several clusters are configured \(a\.internal:6443, b\.internal:6443\)/);
  });
});
