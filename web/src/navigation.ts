// Which pages a person may open, decided once from identity's GET /v1/me: the menus and the
// route guards read the same table, so a link is shown exactly when its page would load
// (a page someone may not open answers "not found", like the APIs do, never a 403 screen).
//
// Account pages live under /accounts/<id>/...; the permissions are those of the caller's
// membership in that account. STX staff (issue 17) get their own section keyed on
// `/v1/me`'s `cam` / `scts_admin`; a CAM opens each assigned account (`cam_accounts`) as a
// read-only "staff view": the services grant assigned CAMs read access to every area and
// nothing else, so the same pages open with every edit control hidden.
import type { DocumentKind, Me, Membership, Preferences } from "./api/models";
import type { MessageKey } from "./i18n/messages";

export type AccountPageId =
  | "overview"
  | "dashboard"
  | "trades"
  | "holdings"
  | "forwardDeals"
  | "retirements"
  | "invoices"
  | "usage"
  | "documents"
  | "members"
  | "invitations"
  | "roles"
  | "audit";

interface AccountPage {
  id: AccountPageId;
  /** Path below /accounts/<id>; "" is the account's overview. */
  path: string;
  label: MessageKey;
  section: "account" | "accountAdmin";
  /** Every listed permission is needed. */
  requires: readonly string[];
  /** At least one of these is needed too (when given). */
  requiresAny?: readonly string[];
}

export const ACCOUNT_PAGES: readonly AccountPage[] = [
  { id: "overview", path: "", label: "nav.overview", section: "account", requires: [] },
  { id: "dashboard", path: "dashboard", label: "nav.dashboard", section: "account", requires: ["portfolio:read"] },
  { id: "trades", path: "trades", label: "nav.trades", section: "account", requires: ["trades:read"] },
  { id: "holdings", path: "holdings", label: "nav.holdings", section: "account", requires: ["portfolio:read"] },
  { id: "forwardDeals", path: "forward-deals", label: "nav.forwardDeals", section: "account", requires: ["portfolio:read"] },
  { id: "retirements", path: "retirements", label: "nav.retirements", section: "account", requires: ["portfolio:read"] },
  { id: "invoices", path: "invoices", label: "nav.invoices", section: "account", requires: ["billing:read"] },
  { id: "usage", path: "usage", label: "nav.usage", section: "account", requires: ["usage_targets:read"] },
  {
    id: "documents",
    path: "documents",
    label: "nav.documents",
    section: "account",
    requires: [],
    // documents' own rule: a person reads the kinds their trades / billing / portfolio
    // permissions cover, and the list answers when at least one kind is readable.
    requiresAny: ["trades:read", "billing:read", "portfolio:read"],
  },
  { id: "members", path: "members", label: "nav.members", section: "accountAdmin", requires: ["users:read"] },
  { id: "invitations", path: "invitations", label: "nav.invitations", section: "accountAdmin", requires: ["users:read"] },
  { id: "roles", path: "roles", label: "nav.roles", section: "accountAdmin", requires: ["users:read"] },
  { id: "audit", path: "audit", label: "nav.audit", section: "accountAdmin", requires: ["users:read"] },
];

export interface NavLink {
  id: string;
  to: string;
  label: MessageKey;
}

export interface NavSection {
  id: string;
  label: MessageKey;
  links: NavLink[];
}

export function accountPath(accountId: string, path = ""): string {
  const base = `/accounts/${encodeURIComponent(accountId)}`;
  return path ? `${base}/${path}` : base;
}

/** What a CAM may do in an assigned account: read every area (common/access's
 *  CAM_PERMISSIONS), change nothing. */
export const STAFF_VIEW_PERMISSIONS: readonly string[] = [
  "portfolio:read",
  "trades:read",
  "documents:read",
  "billing:read",
  "usage_targets:read",
  "users:read",
  "notifications:read",
];

/** The caller's access to one account: a membership, or (`staff: true`) an assigned CAM's
 *  read-only staff view. */
export type AccountAccess = Membership & { staff: boolean };

export function membership(me: Me, accountId: string | undefined): AccountAccess | undefined {
  const own = me.memberships.find((m) => m.account_id === accountId);
  if (own) return { ...own, staff: false };
  const managed = me.cam_accounts.find((a) => a.account_id === accountId);
  if (!managed) return undefined;
  return {
    account_id: managed.account_id,
    account_name: managed.name,
    account_status: managed.status,
    role: "viewer",
    permissions: [...STAFF_VIEW_PERMISSIONS],
    staff: true,
  };
}

/** Every account the person opens: memberships first, then accounts they manage. */
export function openableAccounts(me: Me): AccountAccess[] {
  const own = me.memberships.map((m) => ({ ...m, staff: false }));
  const managed = me.cam_accounts
    .filter((a) => !me.memberships.some((m) => m.account_id === a.account_id))
    .flatMap((a) => membership(me, a.account_id) ?? []);
  return [...own, ...managed];
}

/** What reading each kind of document takes (the documents service's REQUIRED_AREAS): a
 *  filter offers only the kinds the person may read (the API refuses the others, 403). */
const DOCUMENT_KIND_NEEDS: Readonly<Record<DocumentKind, readonly string[]>> = {
  trade_confirmation: ["trades:read"],
  invoice: ["billing:read"],
  credit_note: ["billing:read"],
  redemption_statement: ["portfolio:read"],
  monthly_statement: ["portfolio:read", "billing:read"],
};

export function readableDocumentKinds(member: AccountAccess | undefined): DocumentKind[] {
  return (Object.keys(DOCUMENT_KIND_NEEDS) as DocumentKind[]).filter(
    (kind) => member?.staff === true || DOCUMENT_KIND_NEEDS[kind].every((p) => can(member, p)),
  );
}

/** A staff view never grants a change, whatever the list says. */
export function can(member: AccountAccess | Membership | undefined, permission: string): boolean {
  if (!member) return false;
  if ("staff" in member && member.staff && !permission.endsWith(":read")) return false;
  return member.permissions.includes(permission);
}

export function isStaff(me: Me): boolean {
  return me.cam || me.scts_admin;
}

export type StaffPageId = "camOverview" | "newAccount" | "accounts" | "cams" | "publishers" | "audit";

interface StaffPage {
  id: StaffPageId;
  /** Absolute path (under /staff). */
  path: string;
  label: MessageKey;
  /** Who opens it: assigned CAMs, SCTS administrators, or either. */
  audience: "cam" | "admin" | "staff";
}

export const STAFF_PAGES: readonly StaffPage[] = [
  { id: "camOverview", path: "/staff/overview", label: "nav.staffOverview", audience: "cam" },
  { id: "accounts", path: "/staff/accounts", label: "nav.staffAccounts", audience: "admin" },
  { id: "newAccount", path: "/staff/new-account", label: "nav.staffNewAccount", audience: "staff" },
  { id: "cams", path: "/staff/cams", label: "nav.staffCams", audience: "admin" },
  { id: "publishers", path: "/staff/publishers", label: "nav.staffPublishers", audience: "admin" },
  { id: "audit", path: "/staff/audit", label: "nav.staffAudit", audience: "admin" },
];

export function mayOpenStaff(me: Me, page: StaffPageId): boolean {
  const definition = STAFF_PAGES.find((p) => p.id === page);
  if (!definition) return false;
  if (definition.audience === "cam") return me.cam;
  if (definition.audience === "admin") return me.scts_admin;
  return isStaff(me);
}

/** Where a staff member starts. */
export function staffHome(me: Me): string | null {
  if (me.scts_admin) return "/staff/accounts";
  if (me.cam) return "/staff/overview";
  return null;
}

export function mayOpen(me: Me, accountId: string | undefined, page: AccountPageId): boolean {
  const member = membership(me, accountId);
  const definition = ACCOUNT_PAGES.find((p) => p.id === page);
  if (!member || !definition) return false;
  const any = definition.requiresAny;
  return (
    definition.requires.every((permission) => can(member, permission)) &&
    (!any || any.some((permission) => can(member, permission)))
  );
}

/** The menu for the person in the account they are looking at (if any). */
export function navigation(me: Me, accountId: string | undefined): NavSection[] {
  const sections: NavSection[] = [];
  const staffLinks = STAFF_PAGES.filter((p) => mayOpenStaff(me, p.id)).map((p) => ({
    id: p.id,
    to: p.path,
    label: p.label,
  }));
  if (staffLinks.length) sections.push({ id: "staff", label: "nav.staff", links: staffLinks });
  const member = membership(me, accountId);
  if (member) {
    for (const section of ["account", "accountAdmin"] as const) {
      const links = ACCOUNT_PAGES.filter(
        (page) => page.section === section && mayOpen(me, member.account_id, page.id),
      ).map((page) => ({
        id: page.id,
        to: accountPath(member.account_id, page.path),
        label: page.label,
      }));
      if (links.length) {
        const label =
          section === "accountAdmin" ? "nav.accountAdmin" : member.staff ? "nav.staffView" : "nav.account";
        sections.push({ id: section, label, links });
      }
    }
  }
  const mine: NavLink[] = [
    { id: "profile", to: "/me/profile", label: "nav.profile" },
    { id: "security", to: "/me/security", label: "nav.security" },
    { id: "notifications", to: "/me/notifications", label: "nav.notifications" },
    { id: "notification-preferences", to: "/me/notification-preferences", label: "nav.notificationPreferences" },
  ];
  if (me.invitations.length) {
    mine.push({ id: "my-invitations", to: "/me/invitations", label: "nav.myInvitations" });
  }
  sections.push({ id: "me", label: "nav.me", links: mine });
  return sections;
}

export type LandingView = Preferences["values"]["landing_view"];

/** The account page each "Start page" preference opens ("notifications" is the inbox). */
const LANDING_PAGES: Readonly<Record<Exclude<LandingView, "notifications">, AccountPageId>> = {
  portfolio: "overview",
  trades: "trades",
  documents: "documents",
  billing: "invoices",
  usage_targets: "usage",
};

/** Where "/" leads: staff to their console; others to their chosen start page in the
 *  remembered account if still a member (else the first), or its overview when their role
 *  does not open that page; people without a membership see their invitations (if any) or
 *  the empty state. */
export function landingPath(
  me: Me,
  rememberedAccount: string | null,
  view: LandingView = "portfolio",
): string {
  const home = staffHome(me);
  if (home) return home;
  const chosen = membership(me, rememberedAccount ?? undefined) ?? me.memberships[0];
  if (chosen) {
    if (view === "notifications") return "/me/notifications";
    const page = ACCOUNT_PAGES.find((p) => p.id === LANDING_PAGES[view]);
    return page && mayOpen(me, chosen.account_id, page.id)
      ? accountPath(chosen.account_id, page.path)
      : accountPath(chosen.account_id);
  }
  if (me.invitations.length) return "/me/invitations";
  return "/welcome";
}
