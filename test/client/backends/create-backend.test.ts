import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createBackend } from "../../../client/backends/create-backend.ts";
import { InfisicalBackend } from "../../../client/backends/infisical.ts";
import { VaultBackend } from "../../../client/backends/vault.ts";
import { HttpClient } from "../../../client/http/http-client.ts";

const http = new HttpClient({ timeoutMs: 1_000, retries: 0 });
after(() => http.close());
const url = new URL("http://127.0.0.1:8200");

describe("createBackend", () => {
  it("gives Vault and OpenBao the Vault implementation under their own names", () => {
    const vault = createBackend(http, { backend: "vault", url });
    const openbao = createBackend(http, { backend: "openbao", url });
    assert.ok(vault instanceof VaultBackend && openbao instanceof VaultBackend);
    assert.equal(vault.name, "Vault");
    assert.equal(openbao.name, "OpenBao");
  });

  it("gives Infisical its own implementation, with or without a read scope", () => {
    assert.ok(createBackend(http, { backend: "infisical", url }) instanceof InfisicalBackend);
    const scope = { identityId: "id", project: "p", environment: "dev", recursive: false, includeImports: true, expandReferences: true };
    assert.equal(createBackend(http, { backend: "infisical", url, infisical: scope }).name, "Infisical");
  });
});
