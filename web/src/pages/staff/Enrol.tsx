// An un-enrolled staff member's first stop: set up the authenticator app (identity's
// audited enrolment, the same page as /me/security), then the console opens.
import Security from "../me/Security";

export default function StaffEnrol({ onDone }: { onDone: () => void }) {
  return (
    <div data-testid="staff-mfa-enrolment">
      <p className="notice" role="status">
        STX staff need an authenticator app before using the console. Set one up now; the console opens as
        soon as it is confirmed.
      </p>
      <Security onDone={onDone} />
    </div>
  );
}
