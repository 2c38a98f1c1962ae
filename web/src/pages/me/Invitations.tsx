// Invitations waiting for the signed-in person: accepting one makes them a member.
import { useEffect, useState } from "react";
import { useNavigate } from "react-router";
import { unwrap } from "../../api/client";
import type { ApiProblem } from "../../api/problem";
import { useServices, usePresentation } from "../../context";
import { accountPath } from "../../navigation";
import { asProblem } from "../../resource";
import { usePerson } from "../../session/person";
import { Empty, ProblemMessage } from "../../ui/states";

export default function MyInvitations() {
  const { api } = useServices();
  const { me, reload } = usePerson();
  const { t, format } = usePresentation();
  const navigate = useNavigate();
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [joined, setJoined] = useState<string | null>(null);

  // the account opens once the person's reloaded memberships hold it (before, its pages
  // would answer "not found")
  useEffect(() => {
    if (joined && me.memberships.some((m) => m.account_id === joined)) {
      void navigate(accountPath(joined));
    }
  }, [joined, me, navigate]);

  async function accept(accountId: string) {
    setProblem(null);
    setBusy(accountId);
    try {
      await unwrap(api.identity.POST("/v1/me/invitations/{account_id}/accept", { params: { path: { account_id: accountId } } }));
      setJoined(accountId);
      reload();
    } catch (error) {
      setProblem(asProblem(error));
      setBusy(null);
    }
  }

  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{t("nav.myInvitations")}</h1>
      {me.invitations.length === 0 ? (
        <Empty title="No invitations waiting" />
      ) : (
        <ul className="cards">
          {me.invitations.map((invitation) => (
            <li key={invitation.account_id} className="card">
              <h2>{invitation.account_name}</h2>
              <p>
                Role: {t(`role.${invitation.role}`)}
                {invitation.expires_at && <> · valid until {format.dateTime(invitation.expires_at)}</>}
              </p>
              <button type="button" disabled={busy !== null} onClick={() => void accept(invitation.account_id)}>
                Accept and open {invitation.account_name}
              </button>
            </li>
          ))}
        </ul>
      )}
      <ProblemMessage problem={problem} />
    </section>
  );
}
