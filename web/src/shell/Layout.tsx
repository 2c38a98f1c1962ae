// The frame of every signed-in page: header (account switcher, notifications slot, user
// menu), the menu built from the person's permissions, and the page itself.
import { lazy, Suspense, useEffect } from "react";
import { NavLink, Outlet, useLocation, useMatch } from "react-router";
import { usePresentation, useServices } from "../context";
import { isStaff, membership, navigation, openableAccounts } from "../navigation";
import { releaseForeignPush } from "../notifications/push";
import { usePerson } from "../session/person";
import { Loading } from "../ui/states";
import { ErrorBoundary } from "./ErrorBoundary";
import { Header } from "./Header";
import { rememberAccount, rememberedAccount } from "./lastAccount";
import { useRouteAnnouncement } from "./routeAnnouncement";
import { useStaffMfa } from "./staffMfa";

const StaffEnrol = lazy(() => import("../pages/staff/Enrol"));

export default function Layout() {
  const { me, name } = usePerson();
  const { t } = usePresentation();
  const location = useLocation();
  const match = useMatch("/accounts/:accountId/*");
  // On pages outside an account (/me/...), the menu and switcher stay on the account the
  // person was last in, so they are one click from it.
  const accountId =
    match?.params.accountId ??
    (membership(me, rememberedAccount() ?? undefined) ?? openableAccounts(me)[0])?.account_id;
  const page = match?.params["*"] ?? "";
  const sections = navigation(me, accountId);
  const viewed = match ? membership(me, match.params.accountId) : undefined;
  const mfa = useStaffMfa(isStaff(me));
  useRouteAnnouncement(location.pathname, "main");
  const { api } = useServices();
  // Once per sign-in: a push subscription someone else left in this browser stops here.
  useEffect(() => {
    releaseForeignPush(api).catch(() => undefined);
  }, [api]);

  useEffect(() => {
    if (match && accountId && membership(me, accountId)) rememberAccount(accountId);
  }, [me, accountId, match]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t("app.skip")}
      </a>
      <Header me={me} name={name} accountId={accountId} page={page} />
      <div className="app-body">
        <nav className="app-nav" aria-label={t("nav.main")}>
          {sections.map((section) => (
            <div key={section.id} className="nav-section">
              <h2 className="nav-heading">{t(section.label)}</h2>
              <ul>
                {section.links.map((link) => (
                  <li key={link.id}>
                    <NavLink to={link.to} end>
                      {t(link.label)}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </nav>
        <main id="main" className="app-main" tabIndex={-1}>
          {viewed?.staff && (
            <p className="staff-banner" role="note" data-testid="staff-banner">
              {t("staff.banner", { name: viewed.account_name })}
            </p>
          )}
          <ErrorBoundary resetKey={location.pathname}>
            <Suspense fallback={<Loading />}>
              {mfa.state === "checking" ? (
                <Loading />
              ) : mfa.state === "missing" ? (
                <StaffEnrol onDone={mfa.recheck} />
              ) : (
                <Outlet />
              )}
            </Suspense>
          </ErrorBoundary>
        </main>
      </div>
    </div>
  );
}
