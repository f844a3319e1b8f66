// GET|HEAD /v1/sys/health and GET /v1/sys/seal-status: unauthenticated, outside the logical router
// (as in Vault, so they are not audited). This server is always initialized, unsealed and active,
// so only `activecode` changes the status; the other code parameters are still validated.
import { randomUUID } from "node:crypto";
import { errorBody } from "../core/envelope.ts";

/** The Vault release whose API rules (JWT audience strictness of 1.17) this backend follows. */
export const emulatedVersion = "1.17.0+keybridge.dev";
const clusterName = "keybridge-dev";

const codeParameters = [
  "activecode",
  "standbycode",
  "drsecondarycode",
  "performancestandbycode",
  "sealedcode",
  "uninitcode",
  "haunhealthycode",
  "removedcode",
];
const boolParameters = ["standbyok", "perfstandbyok"];
const goBools = ["1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"];

export interface StatusReply {
  readonly status: number;
  readonly body: unknown;
}

export function createHealth(now: () => number): { health(query: URLSearchParams): StatusReply; sealStatus(): StatusReply } {
  const clusterId = randomUUID();
  return {
    health(query) {
      for (const name of boolParameters) {
        const value = query.get(name);
        if (value !== null && !goBools.includes(value)) return { status: 400, body: errorBody([]) };
      }
      let status = 200;
      for (const name of codeParameters) {
        const value = query.get(name);
        if (value === null) continue;
        if (!/^[-+]?\d+$/.test(value)) return { status: 400, body: errorBody([]) };
        if (name === "activecode") status = Number(value);
      }
      return {
        status,
        body: {
          initialized: true,
          sealed: false,
          standby: false,
          performance_standby: false,
          replication_performance_mode: "disabled",
          replication_dr_mode: "disabled",
          server_time_utc: Math.floor(now() / 1000),
          version: emulatedVersion,
          cluster_name: clusterName,
          cluster_id: clusterId,
        },
      };
    },
    sealStatus() {
      return {
        status: 200,
        body: {
          type: "shamir",
          initialized: true,
          sealed: false,
          t: 1,
          n: 1,
          progress: 0,
          nonce: "",
          version: emulatedVersion,
          build_date: "",
          migration: false,
          cluster_name: clusterName,
          cluster_id: clusterId,
          recovery_seal: false,
          storage_type: "inmem",
        },
      };
    },
  };
}
