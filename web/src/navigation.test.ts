import { describe, expect, it } from "vitest";
import type { Me, Membership } from "./api/models";
import {
  can,
  landingPath,
  mayOpen,
  mayOpenStaff,
  membership,
  navigation,
  readableDocumentKinds,
} from "./navigation";

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

describe("readableDocumentKinds", () => {
  it("offers the kinds the documents API lets the person read", () => {
    const person = me([member("a1", "trader", TRADER), member("a2", "finance", ["billing:read"])]);
    expect(readableDocumentKinds(membership(person, "a1"))).toEqual([
      "trade_confirmation",
      "redemption_statement",
    ]);
    expect(readableDocumentKinds(membership(person, "a2"))).toEqual(["invoice", "credit_note"]);
    expect(readableDocumentKinds(membership(person, "elsewhere"))).toEqual([]);
  });
});

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
    expect(landingPath(two, "a1", "trades")).toBe("/accounts/a1/trades");
    expect(landingPath(two, "a1", "billing")).toBe("/accounts/a1"); // a trader reads no invoices
    expect(landingPath(two, "a2", "notifications")).toBe("/me/notifications");
  });

  it("opens a CAM's assigned accounts read-only and nothing else", () => {
    const cam: Me = {
      ...me([]),
      cam: true,
      cam_accounts: [{ account_id: "a1", name: "Nordic", status: "active", created_at: "2026-01-01T00:00:00Z" }],
    };
    const view = membership(cam, "a1");
    expect(view?.staff).toBe(true);
    expect(can(view, "users:read")).toBe(true);
    expect(can(view, "users:manage")).toBe(false);
    if (!view) throw new Error("no staff view");
    expect(can({ ...view, permissions: [...view.permissions, "users:manage"] }, "users:manage")).toBe(false);
    expect(mayOpen(cam, "a1", "trades")).toBe(true);
    expect(mayOpen(cam, "a1", "members")).toBe(true);
    expect(mayOpen(cam, "a2", "overview")).toBe(false);
    expect(ids(navigation(cam, "a1"))).toEqual([
      "staff: camOverview newAccount",
      "account: overview dashboard trades holdings forwardDeals retirements invoices usage documents",
      "accountAdmin: members invitations roles audit",
      "me: profile security notifications notification-preferences",
    ]);
    expect(navigation(cam, "a1")[1]?.label).toBe("nav.staffView");
    expect(landingPath(cam, null)).toBe("/staff/overview");
    expect(mayOpenStaff(cam, "publishers")).toBe(false);
  });

  it("gives SCTS administrators the platform pages and counterparties none", () => {
    const admin: Me = { ...me([]), scts_admin: true };
    expect(ids(navigation(admin, undefined))[0]).toBe("staff: accounts newAccount cams publishers audit");
    expect(landingPath(admin, null)).toBe("/staff/accounts");
    const trader = me([member("a1", "trader", TRADER)]);
    expect(mayOpenStaff(trader, "accounts")).toBe(false);
    expect(mayOpenStaff(trader, "camOverview")).toBe(false);
  });
});
