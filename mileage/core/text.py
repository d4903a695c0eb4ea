"""Korean display text shared by every app: dates as citizens read them ("2026. 11. 23.")."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def korean_date(value: dt.date | dt.datetime | None) -> str:
    """`2026-11-23` → "2026. 11. 23." (a datetime in local time); "" for nothing."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.year}. {value.month}. {value.day}."


def korean_datetime(value: dt.datetime | None) -> str:
    """A moment in local time: "2026. 11. 23. 14:05"."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{local.year}. {local.month}. {local.day}. {local.hour:02d}:{local.minute:02d}"


def korean_dates(text: object) -> str:
    """Every ISO date inside a stored text (a memo, a notice, an explanation line) as a Korean
    date; the stored text itself is kept as written (books and sent notices never change)."""
    return ISO_DATE.sub(lambda m: f"{int(m[1])}. {int(m[2])}. {int(m[3])}.", str(text))


# A parenthesis with no Hangul and an English word (three letters or more) or a clause code: the
# rules engine's aside after its Korean sentence ("... 줄었습니다 (went backwards from 89400 km,
# E-1)"); "(8.06 km)" stays.
_ENGINE_ASIDE = re.compile(r"\s*\((?=[^()]*(?:[A-Za-z]{3,}|\b[A-Z]+-\d+))[^()가-힣]*\)")


def korean_part(text: object) -> str:
    """The Korean sentence of an engine message, without its English and clause-code aside:
    what a citizen is shown (officials see the whole message)."""
    return _ENGINE_ASIDE.sub("", str(text)).strip()


# 조사: the particle after a word depends on whether its last sound has a final consonant (받침).
_PAIRS = {
    "이/가": ("이", "가"),
    "을/를": ("을", "를"),
    "은/는": ("은", "는"),
    "과/와": ("과", "와"),
}
_DIGIT_HAS_FINAL = {
    "0": True,
    "1": True,
    "2": False,
    "3": True,
    "4": False,
    "5": False,
    "6": True,
    "7": True,
    "8": True,
    "9": False,
}  # 영 일 이 삼 사 오 육 칠 팔 구
_LATIN_FINAL = set("lmnLMN")  # as Korean readers say them: "...엘, 엠, 엔" end in a consonant


def _final(word: str) -> tuple[bool, bool]:
    """(has a final consonant, that final is ㄹ) for the last sound of `word`."""
    for ch in reversed(word.strip()):
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            jong = code % 28
            return jong != 0, jong == 8
        if ch.isdigit():
            return _DIGIT_HAS_FINAL[ch], ch in "178"
        if ch.isalpha():
            return ch in _LATIN_FINAL, ch in "lL"
    return False, False


def with_particle(word: object, pair: str) -> str:
    """`word` with the right particle: with_particle("푸른서울나눔재단", "이/가") →
    "푸른서울나눔재단이", "걷자앱" → "걷자앱이", "서울시" → "서울시가"; pairs 이/가, 을/를, 은/는,
    과/와, 으로/로 (로 after a vowel or ㄹ)."""
    text = str(word)
    final, rieul = _final(text)
    if pair == "으로/로":
        return text + ("로" if not final or rieul else "으로")
    with_final, without = _PAIRS[pair]
    return text + (with_final if final else without)
