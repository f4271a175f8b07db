"""Vietnamese text helpers: folding, slugs, collation and dates.

Folding is done by hand because Unicode decomposition leaves `đ`/`Đ` alone
(it is a letter of its own, not `d` plus a mark).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta, timezone

VIETNAM_TZ = timezone(timedelta(hours=7), "ICT")

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Drop tones and marks, map đ→d, lower-case: "Đăng Ký" → "dang ky"."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped).lower()


def slugify(text: str) -> str:
    """Fold to `[a-z0-9-]`: "Đẩy mạnh tuyên truyền" → "day-manh-tuyen-truyen"."""
    folded = fold(text)
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def heading_slug(value: str, separator: str = "-") -> str:
    """Python-Markdown toc `slugify` hook with Vietnamese folding."""
    return slugify(value).replace("-", separator)


# --- collation -------------------------------------------------------------
# Vietnamese alphabet: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y
_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
# f, j, w, z are not Vietnamese letters but appear in loan words; put them
# after their Latin neighbours so the order stays total.
_ORDER: dict[str, int] = {}
for _i, _c in enumerate(_LETTERS):
    _ORDER[_c] = (_i + 4) * 4  # 0 = separator, 1..10 = digits
for _c, _after in (("f", "ê"), ("j", "i"), ("w", "v"), ("z", "y")):
    _ORDER[_c] = _ORDER[_after] + 2
# tone marks, in the conventional order: none, grave, hook, tilde, acute, dot
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# marks that make a letter of their own: breve, circumflex, horn
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}


def _letters_and_tones(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    primary: list[int] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFC", text.lower()):
        decomposed = unicodedata.normalize("NFD", ch)
        base = decomposed[0]
        marks = decomposed[1:]
        letter = base + "".join(m for m in marks if m in _LETTER_MARKS)
        letter = unicodedata.normalize("NFC", letter)
        tone = next((_TONES[m] for m in marks if m in _TONES), 0)
        if letter in _ORDER:
            primary.append(_ORDER[letter])
        elif letter.isspace() or letter in "-–—.,":
            primary.append(0)  # separators sort before any letter
        elif letter.isdecimal():  # not isdigit(): int("²") fails
            primary.append(1 + int(letter))  # digits after separators, before letters
        else:
            primary.append(2000 + ord(letter))
        tones.append(tone)
    return tuple(primary), tuple(tones)


def collation_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    """Sort key for Vietnamese alphabetical order: letters first, tones after.

    "Cà Mau" < "Cao Bằng" < "Cần Thơ" < "Điện Biên".
    """
    primary, tones = _letters_and_tones(text)
    return primary, tones, text


# --- dates -----------------------------------------------------------------
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


class DateError(ValueError):
    """A date value that is not a real calendar date or not in a known format."""


def parse_date(value: object) -> datetime:
    """Parse an ISO 8601 or DD/MM/YYYY date (or a YAML date) to an aware datetime.

    Times without an offset are Vietnam time (UTC+7).
    """
    if isinstance(value, bool):
        raise DateError(f"expected a date, got {value!r}")
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        dt = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        text = value.strip()
        m = _DMY.match(text)
        try:
            if m:
                day, month, year = (int(g) for g in m.groups())
                dt = datetime(year, month, day)
            else:
                if not re.match(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$", text):
                    raise DateError(f"'{value}' is not a date: use YYYY-MM-DD, DD/MM/YYYY or YYYY-MM-DDTHH:MM:SS+07:00")
                dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError as exc:
            if isinstance(exc, DateError):
                raise
            raise DateError(f"'{value}' is not a real date ({exc})") from None
    else:
        raise DateError(f"expected a date, got {type(value).__name__} {value!r}")
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=VIETNAM_TZ)
    return dt


def format_date(dt: datetime | date) -> str:
    """Vietnamese display format: 21/12/2020 (in Vietnam time)."""
    if isinstance(dt, datetime):
        dt = dt.astimezone(VIETNAM_TZ)
    return f"{dt.day:02d}/{dt.month:02d}/{dt.year:04d}"
