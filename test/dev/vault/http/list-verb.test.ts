// Vault clients send the LIST verb, which node:http refuses: the dev backend relays it, while every
// other request keeps its keep-alive connection.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { connect } from "node:net";
import { startTestBackend, type TestBackend } from "../../../support/dev-backend.ts";

let test: TestBackend;

before(async () => {
  test = await startTestBackend();
  await test.vault("POST", "secret/data/app/db", { body: { data: { password: "x" } } });
});
after(() => test.close());

/** Sends raw requests on one connection, one after the other, and returns each raw answer. */
async function exchange(requests: string[]): Promise<{ answers: string[]; closed: boolean }> {
  const { port } = new URL(test.addr);
  const socket = connect(Number(port), "127.0.0.1");
  const answers: string[] = [];
  let buffer = "";
  let closed = false;
  socket.on("close", () => (closed = true));
  socket.on("data", (chunk) => (buffer += chunk.toString("latin1")));
  for (const request of requests) {
    buffer = "";
    socket.write(request);
    for (let waited = 0; !/\r\n\r\n[\s\S]*\}\n?$|\r\n\r\n$/.test(buffer) && waited < 2_000 && !closed; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    answers.push(buffer);
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  socket.destroy();
  return { answers, closed };
}

const token = () => test.rootToken;

describe("the LIST verb", () => {
  it("keeps the connection alive across ordinary requests, then answers a LIST on it and closes", async () => {
    const get = `GET /v1/secret/data/app/db HTTP/1.1\r\nHost: x\r\nX-Vault-Token: ${token()}\r\n\r\n`;
    const list = `LIST /v1/secret/metadata/app HTTP/1.1\r\nHost: x\r\nX-Vault-Token: ${token()}\r\n\r\n`;
    const { answers, closed } = await exchange([get, get, list]);
    assert.match(answers[0]!, /^HTTP\/1\.1 200 OK[\s\S]*keep-alive/i);
    assert.match(answers[1]!, /^HTTP\/1\.1 200 OK/, "the second request used the same connection");
    assert.match(answers[2]!, /^HTTP\/1\.1 200 OK[\s\S]*"keys":\["db"\]/);
    assert.equal(closed, true, "the connection closes after a relayed LIST");
  });

  it("ignores a forged relay marker: a GET stays a read", async () => {
    const forged = `GET /v1/secret/metadata/app HTTP/1.1\r\nHost: x\r\nX-Vault-Token: ${token()}\r\nx-keybridge-list-verb: guess 10.0.0.1\r\n\r\n`;
    const { answers } = await exchange([forged]);
    assert.doesNotMatch(answers[0]!, /"keys"/);
  });

  it("answers 400 to other unknown methods", async () => {
    const { answers } = await exchange([`BREW /v1/sys/health HTTP/1.1\r\nHost: x\r\n\r\n`]);
    assert.match(answers[0]!, /^HTTP\/1\.1 400 Bad Request/);
  });
});
