import { Link, useSearchParams } from "react-router";
import { usePresentation } from "../context";
import { safeNext } from "./next";

export default function SessionExpired() {
  const { t } = usePresentation();
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  return (
    <main id="main" className="centered">
      <section className="card" aria-labelledby="page-title">
        <h1 id="page-title">{t("expired.title")}</h1>
        <p>{t("expired.body")}</p>
        <p>
          <Link className="button" to={`/signin?next=${encodeURIComponent(next)}`}>
            {t("expired.signIn")}
          </Link>
        </p>
      </section>
    </main>
  );
}
