/** A JSON call to the local stack's API over real HTTP, as the tests that drive a whole month make it. */
export function apiCaller(baseUrl: () => string) {
  return async (method: string, route: string, body?: unknown) => {
    const res = await fetch(`${baseUrl()}/api/${route}`, {
      method,
      headers: { "Content-Type": "application/json" },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    // Only a JSON answer is parsed: a PDF or Prometheus text stays in `text`.
    const json = text && res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : undefined;
    return { status: res.status, json, text };
  };
}
