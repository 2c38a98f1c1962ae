"""The texts identity mails: invitations and CAM welcomes (temporary passwords included
only when the person has none of their own yet)."""

from __future__ import annotations

import secrets
import string

from services.identity.models.domain import Account, Membership


def temporary_password(length: int = 16) -> str:
    """A random password meeting Cognito's default policy (upper, lower, digit, symbol)."""
    symbols = "!@#%^*-_+="
    alphabet = string.ascii_letters + string.digits + symbols
    required = [
        secrets.choice(string.ascii_uppercase),
        secrets.choice(string.ascii_lowercase),
        secrets.choice(string.digits),
        secrets.choice(symbols),
    ]
    chars = required + [secrets.choice(alphabet) for _ in range(length - len(required))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def invitation(account: Account, invited: Membership, password: str, portal_url: str) -> str:
    expires = invited.expires_at.date().isoformat() if invited.expires_at else ""
    lines = [
        f"You have been invited to the SCTS portal account {account.name!r} "
        f"as {invited.role.value}.",
        "",
        f"Sign in at {portal_url or 'the SCTS portal'} with:",
        f"  username: {invited.email}",
    ]
    if password:
        lines.append(f"  temporary password: {password}")
        lines.append("You will be asked to choose a new password.")
    else:
        lines.append("  and your existing password.")
    lines += ["", f"The invitation expires on {expires} (UTC)."]
    return "\n".join(lines)


def invitation_subject(account: Account) -> str:
    return f"Invitation to {account.name} on the SCTS portal"


def cam_welcome(name: str, email: str, password: str) -> str:
    lines = [f"You are now a Corporate Account Manager on the SCTS portal, {name}."]
    if password:
        lines += [f"  username: {email}", f"  temporary password: {password}"]
    return "\n".join(lines)


CAM_WELCOME_SUBJECT = "Your SCTS portal account manager access"
