// Signed-in pages: sign in first (coming back here afterwards), or the session-expired page.
import { Navigate, useLocation } from "react-router";
import { useAuth } from "../auth/session";
import { PersonProvider } from "../session/person";
import { Loading } from "../ui/states";
import Layout from "./Layout";

export default function RequireSession() {
  const { status } = useAuth();
  const location = useLocation();
  const next = encodeURIComponent(location.pathname + location.search);
  if (status === "loading") {
    return (
      <main id="main" className="centered">
        <Loading />
      </main>
    );
  }
  if (status === "expired") return <Navigate to={`/session-expired?next=${next}`} replace />;
  if (status === "left") return <Navigate to="/signin" replace />;
  if (status === "signedOut") return <Navigate to={`/signin?next=${next}`} replace />;
  return (
    <PersonProvider>
      <Layout />
    </PersonProvider>
  );
}
