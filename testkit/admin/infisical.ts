// The one client for the dev backend's Infisical API in tests: a call with an optional access
// token, query, JSON or form body, answering status, parsed body and headers without throwing.

export interface ApiReply {
  readonly status: number;
  readonly body: any;
  readonly headers: Headers;
}

export interface InfisicalCallOptions {
  readonly token?: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly json?: unknown;
  readonly form?: Readonly<Record<string, string>>;
}

export async function infisicalCall(addr: string, method: string, path: string, options: InfisicalCallOptions = {}): Promise<ApiReply> {
  const url = new URL(path, addr);
  for (const [name, value] of Object.entries(options.query ?? {})) url.searchParams.set(name, value);
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.json);
  } else if (options.form !== undefined) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(options.form).toString();
  }
  const response = await fetch(url, { method, headers, body });
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : JSON.parse(text), headers: response.headers };
}
