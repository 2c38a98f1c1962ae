import { Link } from "react-router";
import { usePresentation } from "../../context";
import { usePerson } from "../../session/person";
import { Empty } from "../../ui/states";

/** Signed in but in no account (yet): say so, never an empty dashboard. */
export default function Welcome() {
  const { t } = usePresentation();
  const { name } = usePerson();
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{name}</h1>
      <Empty title={t("state.noAccount.title")}>
        <p>{t("state.noAccount.body")}</p>
        <p>
          <Link to="/me/profile">{t("nav.profile")}</Link>
        </p>
      </Empty>
    </section>
  );
}
