// The account's start page: which account, its state, and what the person may do in it.
// Portfolio figures join here when the portfolio pages are built.
import { usePresentation } from "../../context";
import { permissionLabel } from "../../i18n/messages";
import { membership } from "../../navigation";
import { usePerson } from "../../session/person";

export default function Overview({ accountId }: { accountId: string }) {
  const { me } = usePerson();
  const { t } = usePresentation();
  const member = membership(me, accountId);
  if (!member) return null;
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{member.account_name}</h1>
      {member.account_status !== "active" && (
        <p className="notice" role="status">
          {t("account.inactive", { status: member.account_status })}
        </p>
      )}
      <dl className="facts">
        <dt>Your role</dt>
        <dd data-testid="role">{member.staff ? t("staff.role") : t(`role.${member.role}`)}</dd>
        <dt>Account status</dt>
        <dd>{member.account_status}</dd>
      </dl>
      <h2>{member.staff ? "What you can read here" : "What you can do here"}</h2>
      <ul className="permissions" data-testid="permissions">
        {member.permissions.map((permission) => (
          <li key={permission}>{permissionLabel(t, permission)}</li>
        ))}
      </ul>
    </section>
  );
}
