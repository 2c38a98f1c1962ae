import { describe, expect, it } from "vitest";
import { ApiProblem, toProblem } from "./problem";

describe("toProblem", () => {
  it("reads the portal's error shape", () => {
    const problem = toProblem(422, {
      error: "validation_failed",
      message: "The request is not valid; see fields.",
      fields: [{ path: "body.timezone", reason: "unknown time zone" }],
      request_id: "req-1",
    });
    expect(problem).toBeInstanceOf(ApiProblem);
    expect(problem.code).toBe("validation_failed");
    expect(problem.requestId).toBe("req-1");
    expect(problem.fieldMessage("timezone")).toBe("unknown time zone");
    expect(problem.fieldMessage("locale")).toBeUndefined();
  });

  it("tells the problems of the whole request (rules over several fields) from a field's", () => {
    const problem = toProblem(422, {
      error: "validation_failed",
      message: "The request is not valid; see fields.",
      fields: [
        { path: "body", reason: "target_year must be after base_year" },
        { path: "body.name", reason: "Field required" },
      ],
    });
    expect(problem.wholeRequestProblems()).toEqual([
      { field: "body", message: "target_year must be after base_year" },
    ]);
  });

  it("accepts fields as objects with field/message or as a map", () => {
    expect(toProblem(422, { fields: [{ field: "email", message: "bad" }] }).fields).toEqual([
      { field: "email", message: "bad" },
    ]);
    expect(toProblem(422, { fields: { email: "bad" } }).fields).toEqual([
      { field: "email", message: "bad" },
    ]);
  });

  it("falls back to the status and the gateway's request id header", () => {
    const headers = new Headers({ "apigw-requestid": "gw-9" });
    const problem = toProblem(401, { message: "Unauthorized" }, headers);
    expect([problem.code, problem.message, problem.requestId]).toEqual([
      "unauthorized",
      "Unauthorized",
      "gw-9",
    ]);
    expect(toProblem(502, null).message).toMatch(/failed to answer/);
    expect(toProblem(502, null).code).toBe("server_error");
  });
});

describe("429 too many requests", () => {
  // common.gate's own answer (services' per-caller budget): the wait is only in the header
  const gate = {
    error: "rate_limited",
    message: "Too many requests; retry after the Retry-After header's seconds.",
    request_id: "req-429",
  };

  it("tells the person how long to wait, from Retry-After, not to read a header", () => {
    const problem = toProblem(429, gate, new Headers({ "retry-after": "30" }));
    expect(problem.code).toBe("rate_limited");
    expect(problem.retryAfterSeconds).toBe(30);
    expect(problem.message).toContain("30 seconds");
    expect(problem.message).not.toMatch(/header/i);
    expect(problem.requestId).toBe("req-429");
  });

  it("reads an HTTP-date Retry-After too", () => {
    const now = Date.parse("2026-12-03T12:00:00Z");
    const headers = new Headers({ "retry-after": "Thu, 03 Dec 2026 12:01:00 GMT" });
    expect(toProblem(429, gate, headers, now).retryAfterSeconds).toBe(60);
  });

  it("asks to wait a moment when the wait cannot be read (the gateway's plain 429, or the header not exposed)", () => {
    for (const body of [gate, { message: "Too Many Requests" }, null]) {
      const problem = toProblem(429, body);
      expect(problem.retryAfterSeconds).toBeNull();
      expect(problem.message).not.toMatch(/header/i);
      expect(problem.message).toMatch(/try again/i);
    }
  });
});
