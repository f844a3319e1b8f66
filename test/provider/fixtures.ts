// The example declaration, shared by the provider tests.
import type { Construct } from "../../provider/cdk.ts";
import { Duration, GitHubOidc, Rotation, SecretsPlatform, SsoGroup, VaultBackend } from "../../provider/index.ts";

export function declareMlTraining(scope: Construct): SecretsPlatform {
  const platform = new SecretsPlatform(scope, "secrets", { backend: VaultBackend.kvV2({ mount: "secret" }) });
  const ml = platform.addProject("ml-training", { environments: ["dev", "staging", { name: "prod", protected: true }] });
  ml.addSecret("database", { keys: ["username", "password"], rotation: Rotation.every(Duration.days(30)) });
  ml.addSecret("api/stripe", { keys: ["token"] });
  ml.grantRead(GitHubOidc.repository("acme/training", { ref: "refs/heads/main", environment: "prod", runner: "self-hosted" }),
    { environment: "prod", paths: ["database"], tokenTtl: Duration.minutes(10) });
  ml.grantRead(GitHubOidc.repository("acme/training", { refPattern: "refs/heads/*" }), { environment: "dev", paths: ["api/*"] });
  ml.grantReadWrite(SsoGroup.named("okta:ml-platform-admins"), { environment: "*" });
  return platform;
}
