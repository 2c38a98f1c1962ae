import { Link } from "react-router";
import { usePresentation } from "../context";

/** What a member of a suspended account sees on every page of it. */
export default function Suspended({ name }: { name: string }) {
  const { t } = usePresentation();
  return (
    <section className="page" aria-labelledby="page-title" data-testid="account-suspended">
      <h1 id="page-title">{t("account.suspended.title")}</h1>
      <p className="suspended" role="alert">
        {t("account.suspended.body", { name })}
      </p>
      <p>
        <Link to="/me/profile">{t("nav.profile")}</Link>
      </p>
    </section>
  );
}
