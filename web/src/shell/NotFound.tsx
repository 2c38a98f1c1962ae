import { Link } from "react-router";
import { usePresentation } from "../context";

export default function NotFound() {
  const { t } = usePresentation();
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{t("notFound.title")}</h1>
      <p>{t("notFound.body")}</p>
      <p>
        <Link to="/">{t("error.home")}</Link>
      </p>
    </section>
  );
}
