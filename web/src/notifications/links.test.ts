import { describe, expect, it } from "vitest";
import type { Me, Membership } from "../api/models";
import { ACCOUNT_PAGES } from "../navigation";
import { mayFollow, targetPage, targetPath, type NotificationTarget } from "./links";
import table from "./portal-links.json";

interface Row {
  kind: string;
  target: NotificationTarget;
  path: string;
}
const rows = table.rows as Row[];

function me(memberships: Membership[]): Me {
  return { subject: "s", username: "u@example.com", scts_admin: false, cam: false, memberships, invitations: [], cam_accounts: [] };
}

describe("notification links", () => {
  it.each(rows.map((r) => [`${r.kind} -> ${r.path}`, r] as const))("%s: the route is the service's path", (_, row) => {
    expect(targetPath(row.target)).toBe(row.path);
  });

  it("leads every account target to a page of the account menu", () => {
    for (const row of rows) {
      const page = targetPage(row.target);
      if (page === null) continue;
      const definition = ACCOUNT_PAGES.find((p) => p.id === page);
      expect(definition, row.kind).toBeDefined();
      expect(row.path.startsWith(`/accounts/${encodeURIComponent(row.target.account_id ?? "")}`)).toBe(true);
    }
  });

  it("follows only to pages the person may open", () => {
    const finance = me([{ account_id: "acc-1", account_name: "A", account_status: "active", role: "finance", permissions: ["billing:read"] }]);
    const trade: NotificationTarget = { page: "trade", account_id: "acc-1", reference: "T-1" };
    const invoice: NotificationTarget = { page: "invoice", account_id: "acc-1", reference: "I-1" };
    expect(mayFollow(finance, trade)).toBe(false);
    expect(mayFollow(finance, invoice)).toBe(true);
    expect(mayFollow(finance, { ...invoice, account_id: "acc-2" })).toBe(false);
    expect(mayFollow(finance, { page: "security", account_id: null, reference: null })).toBe(true);
  });
});
