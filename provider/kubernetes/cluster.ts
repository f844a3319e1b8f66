// A Kubernetes cluster whose workloads get secrets through an operator (the Vault Secrets Operator
// or the Infisical operator). It carries what the backend needs to check that cluster's
// service-account tokens (API host, CA) and what the operator needs to reach the backend.
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import { kubernetesNameProblem } from "../../policy/kubernetes/names.ts";
import { Construct } from "../cdk.ts";
import { KubernetesServiceAccount } from "../principals.ts";

export interface KubernetesClusterProps {
  /** The cluster's API server (host, host:port or URL): the backend sends its TokenReviews there. */
  readonly apiHost: string;
  /** The PEM CA certificate of the API server. */
  readonly caCertificate: string;
  /** The backend's address as the operator in the cluster reaches it, e.g. "https://vault.internal:8200". */
  readonly backendAddress: string;
  /** Protected clusters alone may receive the secrets of protected environments (prod). @default false */
  readonly protected?: boolean;
  /** The audience of the tokens the operator requests, required by the backend's role. @default "vault" or "infisical", after the backend */
  readonly audience?: string;
}

const pemCertificate = /-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/;

export class KubernetesCluster extends Construct {
  readonly isProtected: boolean;

  constructor(
    scope: Construct,
    readonly clusterName: string,
    readonly props: KubernetesClusterProps,
  ) {
    const problem = kubernetesNameProblem(clusterName, "label");
    if (problem) throw new KeybridgeError("KB_CONSTRUCT_INVALID", `addKubernetesCluster: the cluster name ${problem}; name it like a namespace, e.g. "gpu-prod"`);
    const at = `addKubernetesCluster("${clusterName}")`;
    if (typeof props.apiHost !== "string" || !/^(https?:\/\/)?[A-Za-z0-9.-]+(:\d+)?\/?$/.test(props.apiHost)) {
      throw new KeybridgeError("KB_CONSTRUCT_INVALID", `${at}: apiHost "${String(props.apiHost)}" is not a host, host:port or URL of the API server; give e.g. "https://10.0.0.1:6443"`);
    }
    if (typeof props.caCertificate !== "string" || !pemCertificate.test(props.caCertificate)) {
      throw new KeybridgeError("KB_CONSTRUCT_INVALID", `${at}: caCertificate holds no PEM certificate; give the API server's CA (the cluster's ca.crt)`);
    }
    if (typeof props.backendAddress !== "string" || !URL.canParse(props.backendAddress) || !/^https?:$/.test(new URL(props.backendAddress).protocol)) {
      throw new KeybridgeError("KB_CONSTRUCT_INVALID", `${at}: backendAddress "${String(props.backendAddress)}" is not an http(s) URL; give the address the operator reaches the backend at`);
    }
    if (props.audience !== undefined && (typeof props.audience !== "string" || props.audience.trim() === "" || props.audience.includes(","))) {
      throw new KeybridgeError("KB_CONSTRUCT_INVALID", `${at}: audience "${String(props.audience)}" is not one audience; give a single value such as "vault"`);
    }
    super(scope, `cluster-${clusterName}`);
    this.isProtected = props.protected ?? false;
  }

  /** The workloads of one service account of this cluster, as a grant's principal. */
  serviceAccount(namespace: string, name: string): KubernetesServiceAccount {
    return KubernetesServiceAccount.of(this.clusterName, namespace, name);
  }
}

/** A service account of a cluster the grant's platform does not know: its backend cannot check the tokens. */
export function undeclaredCluster(scope: Construct, cluster: string): KeybridgeError {
  return new KeybridgeError("KB_CONSTRUCT_INVALID", `${scope.node.path}: cluster "${cluster}" is not declared on this platform; declare it with platform.addKubernetesCluster("${cluster}", …) and use the cluster it returns`);
}
