// Every cluster keybridge dev plays, by API host (see cluster-host.ts): Vault's Kubernetes auth
// mounts and Infisical's Kubernetes auth send their TokenReview to the cluster their config
// names, and tokens are minted in a named cluster. The keys live in memory: after a restart,
// earlier tokens fail review, as after a cluster's key rotation.
import { clusterKey, inClusterHost, ClusterHostError } from "./cluster-host.ts";
import { ServiceAccountIssuer } from "./service-account-issuer.ts";

export class Clusters {
  private readonly issuers = new Map<string, Promise<ServiceAccountIssuer>>();
  /** Hosts a backend's config names: a token minted without a cluster goes to the only one. */
  private readonly configured = new Set<string>();

  constructor(private readonly now: () => number) {}

  /** The issuer of the cluster at `host` (made on first use). */
  issuer(host: string): Promise<ServiceAccountIssuer> {
    const key = clusterKey(host);
    let issuer = this.issuers.get(key);
    if (!issuer) {
      issuer = ServiceAccountIssuer.create(key, this.now);
      this.issuers.set(key, issuer);
    }
    return issuer;
  }

  /** A backend's auth config names this cluster. */
  noteConfigured(host: string): void {
    this.configured.add(clusterKey(host));
  }

  /**
   * The cluster a mint without one goes to: the only one a config names, or the in-cluster host
   * when none does. With several, the caller must choose.
   */
  defaultCluster(): string {
    const known = [...this.configured].sort();
    if (known.length === 0) return inClusterHost;
    if (known.length === 1) return known[0]!;
    throw new ClusterHostError(`several clusters are configured (${known.join(", ")}); name one with cluster (--cluster)`);
  }
}
