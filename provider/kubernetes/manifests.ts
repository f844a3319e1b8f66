// The operator manifests of each cluster, collected while the app is declared and written by synth
// as one multi-document YAML file per cluster, in a fixed order (kind, namespace, name) so that two
// synths of the same app are byte-identical. A resource two syncs both need (the namespace's
// VaultConnection) is written once; two different resources under one name stop synth.
import { stringify } from "yaml";
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
import { canonicalKey } from "../../policy/canonical.ts";
import { compareText } from "../../policy/text-order.ts";

export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels?: Readonly<Record<string, string>> };
  readonly spec: Readonly<Record<string, unknown>>;
}

/** The directory, beside cdk.tf.json, that holds `<cluster>.yaml`. */
export const manifestDirectory = "kubernetes";

/** Connections before the logins that use them, logins before the secrets that use those. */
const kindOrder = ["VaultConnection", "VaultAuth", "VaultStaticSecret", "VaultDynamicSecret", "InfisicalSecret"];

function compareObjects(a: KubernetesObject, b: KubernetesObject): number {
  const rank = (object: KubernetesObject) => (kindOrder.indexOf(object.kind) + kindOrder.length + 1) % (kindOrder.length + 1);
  return rank(a) - rank(b) || compareText(a.metadata.namespace, b.metadata.namespace) || compareText(a.metadata.name, b.metadata.name);
}

/** The documents of one cluster as multi-document YAML, with a header saying where they came from. */
export function renderManifests(cluster: string, objects: readonly KubernetesObject[], writer = "Keybridge synth"): string {
  const unique = new Map<string, KubernetesObject>();
  for (const object of objects) {
    const key = `${object.kind}/${object.metadata.namespace}/${object.metadata.name}`;
    const seen = unique.get(key);
    if (seen && canonicalKey(seen) !== canonicalKey(object)) {
      throw new KeybridgeError("KB_SYNTH_INVALID", `cluster ${cluster}: two syncs write different ${object.kind} "${object.metadata.name}" in namespace ${object.metadata.namespace}; give one of them another secretName`);
    }
    unique.set(key, object);
  }
  const documents = [...unique.values()].sort(compareObjects).map((object) => stringify(object, { lineWidth: 0 }));
  return `# Operator manifests for cluster ${cluster}, written by ${writer}: kubectl apply -f this file.\n---\n${documents.join("---\n")}`;
}

/** A name Kubernetes accepts, made from ours ("ml_training-ci" → "ml-training-ci"). */
export function objectName(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9.-]+/g, "-").replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, "").slice(0, 253).replace(/[^a-z0-9]+$/, "");
}

/** Per cluster, the producers of its documents; they run at synth, when every secret is declared. */
export class KubernetesManifests {
  private readonly producers = new Map<string, Array<() => readonly KubernetesObject[]>>();

  add(cluster: string, produce: () => readonly KubernetesObject[]): void {
    this.producers.set(cluster, [...(this.producers.get(cluster) ?? []), produce]);
  }

  /** `<cluster>` → its YAML, for the clusters that have synth-time documents. */
  render(): Map<string, string> {
    const files = new Map<string, string>();
    for (const cluster of [...this.producers.keys()].sort(compareText)) {
      const objects = this.producers.get(cluster)!.flatMap((produce) => produce());
      if (objects.length > 0) files.set(cluster, renderManifests(cluster, objects));
    }
    return files;
  }
}
