"""A password must be hard to guess, not only long: zxcvbn (offline, no network) estimates how many guesses it
takes, from dictionaries of common passwords, names and words, keyboard patterns, repeats, sequences and dates.

zxcvbn's own advice is in English: each warning it gives is answered here with our own (translated) words.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from zxcvbn import zxcvbn

# zxcvbn refuses longer input (its matching grows fast with length); the first 72 characters decide.
MAX_CHECKED_LENGTH = 72

# zxcvbn's warning (its English text) -> what we say instead; anything else gets only the general advice.
_REPEATS = "repeats"
_SEQUENCES = "sequences"
_KEYBOARD = "keyboard"
_COMMON = "common"
_WORD = "word"
_DATES = "dates"
_WARNING_KINDS = {
    'Repeats like "aaa" are easy to guess.': _REPEATS,
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': _REPEATS,
    'Sequences like "abc" or "6543" are easy to guess.': _SEQUENCES,
    "Straight rows of keys are easy to guess.": _KEYBOARD,
    "Short keyboard patterns are easy to guess.": _KEYBOARD,
    "This is a top-10 common password.": _COMMON,
    "This is a top-100 common password.": _COMMON,
    "This is a very common password.": _COMMON,
    "This is similar to a commonly used password.": _COMMON,
    "A word by itself is easy to guess.": _WORD,
    "Names and surnames by themselves are easy to guess.": _WORD,
    "Common names and surnames are easy to guess.": _WORD,
    "Recent years are easy to guess.": _DATES,
    "Dates are often easy to guess.": _DATES,
}


def _hint(kind: str | None) -> str | None:
    hints = {
        _REPEATS: _("No repita letras ni palabras (como «aaaa» o «clave-clave»)."),
        _SEQUENCES: _("No use series como «abcd» o «1234»."),
        _KEYBOARD: _("No use filas ni figuras del teclado como «qwerty»."),
        _COMMON: _("Se parece a una contraseña que mucha gente usa."),
        _WORD: _("Una sola palabra o un nombre es fácil de adivinar."),
        _DATES: _("No use años ni fechas, como su año de nacimiento."),
    }
    return hints.get(kind)


def _advice() -> str:
    return _("Use tres o cuatro palabras que no tengan relación entre sí, separadas por guiones.")


def _personal_words(user) -> list[str]:
    """The person's email, its name part and the words of their name: a password made of them is weak."""
    email = getattr(user, "email", "") or ""
    name = getattr(user, "name", "") or ""
    return [word for word in (email, email.split("@")[0], *name.split()) if word]


class StrengthValidator:
    """Refuses a password zxcvbn scores below ``min_score`` (0 to 4; 3 is "safely unguessable" online)."""

    def __init__(self, min_score: int = 3) -> None:
        self.min_score = min_score

    def validate(self, password: str, user=None) -> None:
        result = zxcvbn(password[:MAX_CHECKED_LENGTH], user_inputs=_personal_words(user))
        if result["score"] >= self.min_score:
            return
        hint = _hint(_WARNING_KINDS.get(result["feedback"]["warning"]))
        messages = [_("Esta contraseña es fácil de adivinar."), *([hint] if hint else []), _advice()]
        raise ValidationError(" ".join(messages), code="password_too_guessable")

    def get_help_text(self) -> str:
        return _("Su contraseña debe ser difícil de adivinar.") + " " + _advice()
