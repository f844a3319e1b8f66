// A throwaway certificate authority and a server certificate it signs, made with the openssl
// command for one test run, for testing TLS trust the way an internal CA works.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestCa {
  readonly dir: string;
  readonly caFile: string;
  readonly caPem: string;
  readonly serverKey: string;
  readonly serverCert: string;
  dispose(): void;
}

export function createTestCa(hostNames: readonly string[]): TestCa {
  const dir = mkdtempSync(join(tmpdir(), "kb-ca-"));
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Keybridge Test Internal CA",
    "-keyout", "ca.key", "-out", "ca.pem", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign");
  openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=vault.keybridge.test", "-keyout", "server.key", "-out", "server.csr");
  const names = hostNames.map((name) => (/^[\d.]+$/.test(name) ? `IP:${name}` : `DNS:${name}`)).join(",");
  writeFileSync(file("ext.cnf"), `subjectAltName=${names}\nextendedKeyUsage=serverAuth\n`);
  openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
    "-extfile", "ext.cnf", "-out", "server.pem");
  return {
    dir,
    caFile: file("ca.pem"),
    caPem: readFileSync(file("ca.pem"), "utf8"),
    serverKey: readFileSync(file("server.key"), "utf8"),
    serverCert: readFileSync(file("server.pem"), "utf8"),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A client certificate (CN `commonName`) signed by the test CA, for mutual TLS. */
export function createClientCertificate(ca: TestCa, commonName: string): { cert: string; key: string } {
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: ca.dir, stdio: "pipe" });
  openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", `/CN=${commonName}`, "-keyout", "client.key", "-out", "client.csr");
  writeFileSync(join(ca.dir, "client.cnf"), "extendedKeyUsage=clientAuth\n");
  openssl("x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-extfile", "client.cnf", "-out", "client.pem");
  return { cert: readFileSync(join(ca.dir, "client.pem"), "utf8"), key: readFileSync(join(ca.dir, "client.key"), "utf8") };
}
