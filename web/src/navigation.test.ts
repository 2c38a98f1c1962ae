import { describe, expect, it } from "vitest";
import type { Me, Membership } from "./api/models";
import { landingPath, mayOpen, navigation } from "./navigation";

function member(accountId: string, role: Membership["role"], permissions: string[]): Membership {
  return { account_id: accountId, account_name: accountId, account_status: "active", role, permissions };
}

const TRADER = ["portfolio:read", "trades:read", "trades:manage", "documents:read"];
const ADMIN = ["users:read", "users:manage", ...TRADER];

function me(memberships: Membership[], invitations: Me["invitations"] = []): Me {
  return {
    subject: "s",
    username: "u@example.com",
    scts_admin: false,
    cam: false,
    memberships,
    invitations,
    cam_accounts: [],
  };
}

const ids = (sections: ReturnType<typeof navigation>) =>
  sections.map((s) => `${s.id}: ${s.links.map((l) => l.id).join(" ")}`);

describe("navigation", () => {
  it("shows a trader no account administration", () => {
    const trader = me([member("a1", "trader", TRADER)]);
    expect(ids(navigation(trader, "a1"))).toEqual([
      "account: overview dashboard trades holdings forwardDeals retirements documents",
      "me: profile security notifications notification-preferences",
    ]);
    expect(mayOpen(trader, "a1", "members")).toBe(false);
    expect(mayOpen(trader, "a1", "overview")).toBe(true);
  });

  it("shows an account admin the people pages of that account only", () => {
    const person = me([member("a1", "admin", ADMIN), member("a2", "trader", TRADER)]);
    expect(ids(navigation(person, "a1"))).toEqual([
      "account: overview dashboard trades holdings forwardDeals retirements documents",
      "accountAdmin: members invitations roles audit",
      "me: profile security notifications notification-preferences",
    ]);
    expect(navigation(person, "a1")[1]?.links[0]?.to).toBe("/accounts/a1/members");
    expect(ids(navigation(person, "a2"))).toEqual([
      "account: overview dashboard trades holdings forwardDeals retirements documents",
      "me: profile security notifications notification-preferences",
    ]);
  });

  it("shows finance billing and its documents, no trades or portfolio", () => {
    const finance = me([member("a1", "finance", ["billing:read", "billing:manage"])]);
    expect(ids(navigation(finance, "a1"))).toEqual([
      "account: overview invoices documents",
      "me: profile security notifications notification-preferences",
    ]);
    expect(mayOpen(finance, "a1", "trades")).toBe(false);
    expect(mayOpen(finance, "a1", "dashboard")).toBe(false);
    expect(mayOpen(finance, "a1", "usage")).toBe(false);
  });

  it("opens nothing in an account the person is not a member of", () => {
    const person = me([member("a1", "admin", ADMIN)]);
    expect(mayOpen(person, "a9", "overview")).toBe(false);
    expect(ids(navigation(person, "a9"))).toEqual(["me: profile security notifications notification-preferences"]);
  });

  it("leads to the remembered account, the first, invitations or the empty state", () => {
    const two = me([member("a1", "trader", TRADER), member("a2", "viewer", [])]);
    expect(landingPath(two, "a2")).toBe("/accounts/a2");
    expect(landingPath(two, "gone")).toBe("/accounts/a1");
    const invited = me([], [{ account_id: "a3", account_name: "A3", role: "viewer", expires_at: null }]);
    expect(landingPath(invited, null)).toBe("/me/invitations");
    expect(ids(navigation(invited, undefined))).toEqual(["me: profile security notifications notification-preferences my-invitations"]);
    expect(landingPath(me([]), null)).toBe("/welcome");
  });
});
