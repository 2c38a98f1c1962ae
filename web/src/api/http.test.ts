import { describe, expect, it, vi } from "vitest";
import { authorizedFetch, SESSION_EXPIRED, type TokenSource } from "./http";
import { ApiProblem } from "./problem";

function tokens(sequence: (string | null)[]): TokenSource & { expired: number } {
  const source = {
    expired: 0,
    accessToken: vi.fn(() => Promise.resolve(sequence.shift() ?? null)),
    onExpired() {
      source.expired += 1;
    },
  };
  return source;
}

const request = () =>
  new Request("https://api.example.com/v1/me/preferences", { method: "PUT", body: "{}" });

describe("authorizedFetch", () => {
  it("sends the current access token as a bearer token", async () => {
    const fetchImpl = vi.fn((request: Request) => Promise.resolve(new Response(request.url ? "{}" : "")));
    const response = await authorizedFetch(tokens(["t1"]), fetchImpl as typeof fetch)(request());
    expect(response.status).toBe(200);
    expect(fetchImpl.mock.calls[0]?.[0].headers.get("authorization")).toBe("Bearer t1");
  });

  it("retries a 401 once with a refreshed token, body included", async () => {
    const seen: string[] = [];
    const fetchImpl = vi.fn(async (req: Request) => {
      seen.push(`${req.headers.get("authorization") ?? ""} ${await req.text()}`);
      return new Response(null, { status: seen.length === 1 ? 401 : 204 });
    });
    const source = tokens(["old", "new"]);
    const response = await authorizedFetch(source, fetchImpl as typeof fetch)(request());
    expect(response.status).toBe(204);
    expect(seen).toEqual(["Bearer old {}", "Bearer new {}"]);
    expect(source.expired).toBe(0);
  });

  it("ends the session when no token can be had or the refreshed one is refused", async () => {
    const fetchImpl = vi.fn(() => Promise.resolve(new Response(null, { status: 401 })));
    for (const sequence of [[null], ["old", null], ["old", "old"], ["old", "new"]]) {
      const source = tokens(sequence);
      const call = authorizedFetch(source, fetchImpl)(request());
      await expect(call).rejects.toBeInstanceOf(ApiProblem);
      await expect(call).rejects.toMatchObject({ code: SESSION_EXPIRED, status: 401 });
      expect(source.expired).toBe(1);
    }
  });
});
