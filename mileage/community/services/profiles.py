"""Nicknames and taking part in rankings (순위에 참여): privacy first, nobody is ranked unless
they opted in, and then only by nickname."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import names
from ..errors import NicknameMissing, NicknameTaken, OffensiveNickname
from ..models import WalkerProfile


def profile_of(member: Any) -> WalkerProfile | None:
    return WalkerProfile.objects.filter(member=member).first()


def set_nickname(member: Any, nickname: str, *, ranked: bool | None = None) -> WalkerProfile:
    """Create or rename the member's profile; `ranked` (when given) opts in or out of rankings.

    The nickname is unique without regard to case and spaces and may not contain a blocked word.
    """
    nick = names.clean(nickname)
    if not 2 <= len(nick) <= 20:
        raise NicknameMissing()
    if names.is_offensive(nick, timezone.localdate()):
        raise OffensiveNickname()
    k = names.key(nick)
    if WalkerProfile.objects.filter(nickname_key=k).exclude(member=member).exists():
        raise NicknameTaken()
    try:
        with transaction.atomic():
            profile, _ = WalkerProfile.objects.update_or_create(
                member=member, defaults={"nickname": nick, "nickname_key": k}
            )
            if ranked is not None and profile.ranked != ranked:
                profile.ranked = ranked
                profile.save(update_fields=["ranked", "updated_at"])
    except IntegrityError as exc:  # another member took it in the meantime
        raise NicknameTaken() from exc
    return profile


def stop_ranking(member: Any) -> None:
    """Leave the rankings; the next refresh drops the member from every list."""
    WalkerProfile.objects.filter(member=member).update(ranked=False, updated_at=timezone.now())
