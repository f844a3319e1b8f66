// Where a cluster's service accounts log in to Vault. Vault's Kubernetes auth config holds one
// cluster's API host and CA and checks every login against that cluster, so each cluster gets its
// own mount. Synth (provider/) and the access graph of a document name it the same way.
export function kubernetesAuthPath(cluster: string): string {
  return `kubernetes-${cluster}`;
}
