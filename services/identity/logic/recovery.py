"""Password recovery through identity's API (public routes): Cognito mails the code and
checks it; the answers never reveal whether a person exists."""

from __future__ import annotations

from services.identity.logic.ports import Ports


def forgot_password(ports: Ports, username: str) -> None:
    ports.directory.forgot_password(username.strip().lower())


def confirm_password(ports: Ports, username: str, code: str, new_password: str) -> None:
    ports.directory.confirm_forgot_password(username.strip().lower(), code, new_password)
