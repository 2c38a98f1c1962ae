// Every page is its own lazily loaded chunk; the shell (this file, the layout, auth and the
// API client) is the only code loaded up front.
import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from "react";
import { createBrowserRouter, Navigate, useParams } from "react-router";
import { type AccountPageId, landingPath, mayOpen, mayOpenStaff, membership, type StaffPageId } from "./navigation";
import { usePerson } from "./session/person";
import { ErrorBoundary } from "./shell/ErrorBoundary";
import { rememberedAccount } from "./shell/lastAccount";
import NotFound from "./shell/NotFound";
import RequireSession from "./shell/RequireSession";
import SessionExpired from "./shell/SessionExpired";
import Suspended from "./shell/Suspended";
import { Loading } from "./ui/states";

const SignIn = lazy(() => import("./pages/public/SignIn"));
const ForgotPassword = lazy(() => import("./pages/public/ForgotPassword"));
const Welcome = lazy(() => import("./pages/me/Welcome"));
const Profile = lazy(() => import("./pages/me/Profile"));
const Security = lazy(() => import("./pages/me/Security"));
const MyInvitations = lazy(() => import("./pages/me/Invitations"));
const Overview = lazy(() => import("./pages/account/Overview"));
const Members = lazy(() => import("./pages/account/Members"));
const Invitations = lazy(() => import("./pages/account/Invitations"));
const Roles = lazy(() => import("./pages/account/Roles"));
const Audit = lazy(() => import("./pages/account/Audit"));
const Dashboard = lazy(() => import("./pages/portfolio/Dashboard"));
const Trades = lazy(() => import("./pages/portfolio/Trades"));
const TradeDetail = lazy(() => import("./pages/portfolio/TradeDetail"));
const Holdings = lazy(() => import("./pages/portfolio/Holdings"));
const Reconciliation = lazy(() => import("./pages/portfolio/Reconciliation"));
const ForwardDeals = lazy(() => import("./pages/portfolio/ForwardDeals"));
const Retirements = lazy(() => import("./pages/portfolio/Retirements"));
const Invoices = lazy(() => import("./pages/portfolio/Invoices"));
const InvoiceDetail = lazy(() => import("./pages/portfolio/InvoiceDetail"));
const Usage = lazy(() => import("./pages/portfolio/Usage"));
const Documents = lazy(() => import("./pages/portfolio/Documents"));
const Notifications = lazy(() => import("./pages/me/Notifications"));
const NotificationSettings = lazy(() => import("./pages/me/NotificationSettings"));
const Callback = lazy(() => import("./pages/public/Callback"));
// The staff console (issue 17): its own chunks, loaded only when staff open them.
const CamOverview = lazy(() => import("./pages/staff/CamOverview"));
const StaffAccounts = lazy(() => import("./pages/staff/Accounts"));
const StaffAccount = lazy(() => import("./pages/staff/Account"));
const NewAccount = lazy(() => import("./pages/staff/NewAccount"));
const Cams = lazy(() => import("./pages/staff/Cams"));
const Publishers = lazy(() => import("./pages/staff/Publishers"));
const StaffAudit = lazy(() => import("./pages/staff/Audit"));

function Public({ page: Page }: { page: LazyExoticComponent<ComponentType> }) {
  return (
    <ErrorBoundary>
      <Suspense
        fallback={
          <main id="main" className="centered">
            <Loading />
          </main>
        }
      >
        <Page />
      </Suspense>
    </ErrorBoundary>
  );
}

/** An account page, or "not found" when the person may not open it in that account. */
function AccountPage({
  id,
  page: Page,
}: {
  id: AccountPageId;
  page: LazyExoticComponent<ComponentType<{ accountId: string }>>;
}) {
  const { me } = usePerson();
  const { accountId = "" } = useParams();
  if (!mayOpen(me, accountId, id)) return <NotFound />;
  const access = membership(me, accountId);
  // Members of a suspended account are refused by every service; say so instead of
  // failing each request (staff keep reading a suspended account).
  if (access && !access.staff && access.account_status === "suspended") return <Suspended name={access.account_name} />;
  return <Page key={accountId} accountId={accountId} />;
}

/** A staff console page, or "not found" for anyone its audience does not include. */
function StaffPage({ id, page: Page }: { id: StaffPageId; page: LazyExoticComponent<ComponentType> }) {
  const { me } = usePerson();
  if (!mayOpenStaff(me, id)) return <NotFound />;
  return <Page />;
}

function Landing() {
  const { me, preferences } = usePerson();
  return <Navigate to={landingPath(me, rememberedAccount(), preferences.values.landing_view)} replace />;
}

export const router = createBrowserRouter([
  { path: "/signin", element: <Public page={SignIn} /> },
  { path: "/forgot-password", element: <Public page={ForgotPassword} /> },
  { path: "/session-expired", element: <SessionExpired /> },
  { path: "/callback", element: <Public page={Callback} /> },
  {
    path: "/",
    element: <RequireSession />,
    children: [
      { index: true, element: <Landing /> },
      { path: "welcome", element: <Welcome /> },
      { path: "me/profile", element: <Profile /> },
      { path: "me/security", element: <Security /> },
      { path: "me/invitations", element: <MyInvitations /> },
      { path: "me/notifications", element: <Notifications /> },
      { path: "me/notification-preferences", element: <NotificationSettings /> },
      { path: "staff/overview", element: <StaffPage id="camOverview" page={CamOverview} /> },
      { path: "staff/accounts", element: <StaffPage id="accounts" page={StaffAccounts} /> },
      { path: "staff/accounts/:accountId", element: <StaffPage id="accounts" page={StaffAccount} /> },
      { path: "staff/new-account", element: <StaffPage id="newAccount" page={NewAccount} /> },
      { path: "staff/cams", element: <StaffPage id="cams" page={Cams} /> },
      { path: "staff/publishers", element: <StaffPage id="publishers" page={Publishers} /> },
      { path: "staff/audit", element: <StaffPage id="audit" page={StaffAudit} /> },
      { path: "accounts/:accountId", element: <AccountPage id="overview" page={Overview} /> },
      { path: "accounts/:accountId/dashboard", element: <AccountPage id="dashboard" page={Dashboard} /> },
      { path: "accounts/:accountId/trades", element: <AccountPage id="trades" page={Trades} /> },
      { path: "accounts/:accountId/trades/:reference", element: <AccountPage id="trades" page={TradeDetail} /> },
      { path: "accounts/:accountId/holdings", element: <AccountPage id="holdings" page={Holdings} /> },
      { path: "accounts/:accountId/holdings/reconciliation", element: <AccountPage id="holdings" page={Reconciliation} /> },
      { path: "accounts/:accountId/forward-deals", element: <AccountPage id="forwardDeals" page={ForwardDeals} /> },
      { path: "accounts/:accountId/retirements", element: <AccountPage id="retirements" page={Retirements} /> },
      { path: "accounts/:accountId/invoices", element: <AccountPage id="invoices" page={Invoices} /> },
      { path: "accounts/:accountId/invoices/:reference", element: <AccountPage id="invoices" page={InvoiceDetail} /> },
      { path: "accounts/:accountId/usage", element: <AccountPage id="usage" page={Usage} /> },
      { path: "accounts/:accountId/documents", element: <AccountPage id="documents" page={Documents} /> },
      { path: "accounts/:accountId/members", element: <AccountPage id="members" page={Members} /> },
      {
        path: "accounts/:accountId/invitations",
        element: <AccountPage id="invitations" page={Invitations} />,
      },
      { path: "accounts/:accountId/roles", element: <AccountPage id="roles" page={Roles} /> },
      { path: "accounts/:accountId/audit", element: <AccountPage id="audit" page={Audit} /> },
      { path: "*", element: <NotFound /> },
    ],
  },
]);
