"""Instant feedback for the exercise notebooks: right, or a hint that teaches.

Every check in the exercise modules is a judging function wrapped by :func:`question`,
which records the outcome with :func:`verdict`. A check never raises, whatever it is given:
:func:`question` is the one place that guarantees it. An empty answer (``...`` or ``None``) or
an answer of the wrong type is "not yet", with a hint on what is expected; the wrong number of
answers names the ones expected; anything else that goes wrong inside a check is "not yet" with
a generic hint, never a traceback. Answers are read by the helpers below (:func:`number` is the
one safe way to a float; :func:`flag` takes NumPy's booleans, which pandas comparisons give). Hints come in steps: the first wrong try gets a
nudge, later tries more help, never the answer itself. The expected values are computed by
the check from the same data the learner has, so nothing in the notebook gives them away.

The checks remember how each question went (:func:`results`, :func:`progress`), so a learner
sees how far they are and the tests can tell a solved notebook from a blank one. Every text
comes from the message catalog (``ex.*`` keys); each question names its title, graded hints and
why-it-matters text where it is declared: ``@question("tenure", title=N_("ex.tenure.title"), ...)``.
"""

from __future__ import annotations

import html
import inspect
import itertools
import math
import numbers
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from simulation.messages import t, text_in_every_language, tn
from simulation.vocabulary import ANSWER_WORD

_results: dict[str, bool] = {}
_tries: dict[str, int] = {}


@dataclass(frozen=True)
class QuestionTexts:
    """The catalog keys of a question's title (as its heading in the notebook), its graded hints
    (one more per wrong try) and the text that says why the right answer matters."""

    title: str
    hints: tuple[str, ...] = ()
    why: str | None = None


_texts: dict[str, QuestionTexts] = {}


def texts(question: str) -> QuestionTexts:
    """The keys of ``question``'s texts, as its ``@question(...)`` declared them."""
    return _texts[question]


@dataclass(frozen=True, repr=False)
class Feedback:
    """What a check says about one answer. Shown as a green or amber box in a notebook."""

    question: str
    passed: bool
    text: str

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        return f"{t('ex.right') if self.passed else t('ex.not_yet')} {self.text}"

    __repr__ = __str__  # a console shows the words, not the fields

    def _repr_html_(self) -> str:
        colour, border = ("#e8f5e9", "#2e7d32") if self.passed else ("#fff8e1", "#f9a825")
        head = t("ex.right") if self.passed else t("ex.not_yet")
        body = html.escape(self.text).replace("\n", "<br>")
        return (
            f'<div style="background:{colour};border-left:5px solid {border};padding:6px 10px;margin:4px 0">'
            f"<b>{html.escape(head)}</b> {body}</div>"
        )


class NotYet(Exception):
    """Raised inside a check when an answer cannot be judged yet; carries the hint to show."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


def verdict(question: str, passed: bool, hint: str = "", praise: str = "") -> Feedback:
    """Record and return the outcome of one try at ``question``.

    ``hint`` is shown when the answer is wrong; when it is empty, the question's graded hints
    are shown one more per wrong try. ``praise`` explains why the right answer matters (default:
    the question's ``why`` text)."""
    _results[question] = bool(passed) or _results.get(question, False)
    if passed:
        why = _texts[question].why if question in _texts else None
        return Feedback(question, True, praise or (t(why) if why else ""))
    _tries[question] = _tries.get(question, 0) + 1
    return Feedback(question, False, hint or graded_hint(question, _tries[question]))


class Praise(str):
    """What a check returns for a right answer that comes with its own words of why."""


def question(name: str, *, title: str, hints: tuple[str, ...] = (), why: str | None = None):
    """Make a check function out of a judging function for question ``name``, whose texts are
    the catalog keys ``title``, ``hints`` and ``why`` (see :class:`QuestionTexts`).

    The judging function reads the learner's answer and returns ``True`` (right), a
    :class:`Praise` (right, with its own text), or a hint (a str; empty means the question's
    next graded hint). A :class:`NotYet` raised while reading the answer becomes "not yet" with
    its hint. The check returns a :class:`Feedback` for every call, whatever it is given: the
    wrong number of answers gets a hint naming the expected ones, and any other exception in the
    judging becomes "not yet" with a generic hint (kept in :func:`last_error` for a trainer)."""

    _texts[name] = QuestionTexts(title, tuple(hints), why)

    def wrap(judging):
        signature = inspect.signature(judging)

        def check(*answers, **named) -> Feedback:
            try:
                signature.bind(*answers, **named)
            except TypeError:
                names = ", ".join(f"`{p}`" for p in signature.parameters)
                return verdict(
                    name,
                    False,
                    tn(
                        "ex.robust.arguments",
                        len(signature.parameters),
                        count=len(signature.parameters),
                        names=names,
                        given=len(answers) + len(named),
                    ),
                )
            try:
                outcome = judging(*answers, **named)
                if isinstance(outcome, (bool, np.bool_)):
                    return verdict(name, bool(outcome))
                if isinstance(outcome, Praise):
                    return verdict(name, True, praise=str(outcome))
                if isinstance(outcome, str):
                    return verdict(name, False, outcome)
                raise TypeError(f"judging of {name} returned {type(outcome).__name__}")
            except NotYet as not_yet:
                return verdict(name, False, str(not_yet.text))
            except Exception as error:  # noqa: BLE001 - a check never shows a traceback
                _errors[name] = error
                return verdict(name, False, t("ex.robust.unreadable", kind=_kind(answers)))

        check.__name__, check.__qualname__, check.__doc__ = (
            judging.__name__,
            judging.__qualname__,
            judging.__doc__,
        )
        check.__module__ = judging.__module__
        check.__signature__ = signature  # help() and tab completion show the answers' names
        check.question = name
        return check

    return wrap


_errors: dict[str, BaseException] = {}


def last_error(question: str) -> BaseException | None:
    """The exception a check last turned into "not yet" (for a trainer looking into a check)."""
    return _errors.get(question)


def _kind(answers: tuple) -> str:
    return ", ".join(type(a).__name__ for a in answers) or "-"


def graded_hint(question: str, attempt: int) -> str:
    """Hint number ``attempt`` for ``question`` (the last one repeats)."""
    hints = _texts[question].hints if question in _texts else ()
    if not hints:
        return t("ex.try_again")
    return t(hints[min(attempt, len(hints)) - 1])


# --- reading answers ---------------------------------------------------------------------------


def is_blank(answer: object) -> bool:
    return answer is None or answer is Ellipsis


def number(answer: object, name: str) -> float:
    """The answer as a finite float, or NotYet with a hint on what a number is here: the one safe
    conversion every check uses (NumPy numbers are numbers; True is not; 10**400 is too large)."""
    if is_blank(answer):
        raise NotYet(t("ex.blank", name=name))
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, numbers.Real):
        raise NotYet(t("ex.want_number", name=name, kind=type(answer).__name__, value=_shown(answer)))
    try:
        value = float(answer)
    except OverflowError:
        raise NotYet(t("ex.want_finite", name=name, value=_shown(answer))) from None
    except Exception:  # noqa: BLE001 - a number that cannot say what it is
        raise NotYet(
            t("ex.want_number", name=name, kind=type(answer).__name__, value=_shown(answer))
        ) from None
    if not math.isfinite(value):
        raise NotYet(t("ex.want_finite", name=name, value=value))
    return value


def share(answer: object, name: str) -> float:
    """A share between 0 and 1; a percentage such as 23 gets its own hint."""
    value = number(answer, name)
    if 1.0 < value <= 100.0:
        raise NotYet(t("ex.want_share_not_percent", name=name, value=value))
    if not 0.0 <= value <= 1.0:
        raise NotYet(t("ex.want_share", name=name, value=value))
    return value


def flag(answer: object, name: str) -> bool:
    """True or False; NumPy's booleans (what a pandas comparison gives) count as booleans."""
    if is_blank(answer):
        raise NotYet(t("ex.blank", name=name))
    if not isinstance(answer, (bool, np.bool_)):
        raise NotYet(t("ex.want_bool", name=name, value=_shown(answer)))
    return bool(answer)


def _plain(text: str) -> str:
    """A word as it is compared: full-width forms folded (NFKC), any case, _ and - as spaces."""
    return " ".join(
        unicodedata.normalize("NFKC", text).casefold().replace("_", " ").replace("-", " ").split()
    )


def as_code(answer: str, allowed: Iterable[str]) -> str | None:
    """The code among ``allowed`` that ``answer`` names: the code itself, or one of its words in
    any language (``vocabulary.ANSWER_WORD``: "complaint not handled", "投诉", "流失期" …)."""
    said = _plain(answer)
    for code in allowed:
        if said == _plain(code):
            return code
        key = ANSWER_WORD.get(code)
        if key and any(
            said == _plain(word) for text in text_in_every_language(key) for word in text.split(" / ")
        ):
            return code
    return None


def choice(answer: object, name: str, allowed: Iterable[str]) -> str:
    """One code out of ``allowed``, given as the code or as one of its words in any language."""
    allowed = list(allowed)
    if is_blank(answer):
        raise NotYet(t("ex.blank", name=name))
    code = as_code(answer, allowed) if isinstance(answer, str) else None
    if code is None:
        raise NotYet(
            t("ex.want_choice", name=name, value=_shown(answer), allowed=", ".join(repr(a) for a in allowed))
        )
    return code


def choices(answer: object, name: str, allowed: Iterable[str]) -> set[str]:
    """A list (or set) of names out of ``allowed``; an empty list is a valid answer."""
    allowed = list(allowed)
    if is_blank(answer):
        raise NotYet(t("ex.blank", name=name))
    if isinstance(answer, (str, dict)) or not isinstance(answer, Iterable):
        raise NotYet(t("ex.want_list", name=name, value=_shown(answer)))
    try:
        items = list(itertools.islice(answer, 10_000))
    except Exception:  # noqa: BLE001 - an iterable that cannot be iterated
        raise NotYet(t("ex.want_list", name=name, value=_shown(answer))) from None
    return {choice(item, name, allowed) for item in items}


def mapping(answer: object, name: str, keys: Sequence[str]) -> dict:
    """A dict with every one of ``keys``; a key may be given as one of its words in any language
    ("投诉" for "complaint"), and the dict returned is keyed by the codes."""
    if is_blank(answer):
        raise NotYet(t("ex.blank", name=name))
    if not isinstance(answer, dict):
        raise NotYet(t("ex.want_dict", name=name, keys=", ".join(repr(k) for k in keys)))
    answer = {(as_code(k, keys) or k) if isinstance(k, str) else k: v for k, v in answer.items()}
    missing = [k for k in keys if k not in answer or is_blank(answer[k])]
    if missing:
        raise NotYet(t("ex.missing_keys", name=name, keys=", ".join(repr(k) for k in missing)))
    return answer


def close(value: float, expected: float, *, rel: float = 0.0, abs: float = 0.0) -> bool:
    """Within the larger of a relative and an absolute tolerance."""
    return math.isclose(value, expected, rel_tol=rel, abs_tol=abs)


def _shown(answer: object) -> str:
    """A short picture of an answer for a hint (even of one whose repr raises)."""
    try:
        text = repr(answer)
    except Exception:  # noqa: BLE001
        text = f"<{type(answer).__name__}>"
    if not isinstance(text, str):
        text = f"<{type(answer).__name__}>"
    return text if len(text) <= 40 else text[:37] + "..."


# --- how far the learner is ----------------------------------------------------------------------


def results() -> dict[str, bool]:
    """Every question tried so far in this kernel: True once it was answered right."""
    return dict(_results)


def reset() -> None:
    _results.clear()
    _tries.clear()
    _errors.clear()


def progress(questions: Sequence[str]) -> Feedback:
    """How many of ``questions`` are right, and which are not yet."""
    right = [q for q in questions if _results.get(q)]
    missing = [t(_texts[q].title) for q in questions if not _results.get(q)]
    text = tn("ex.progress", len(questions), right=len(right), total=len(questions))
    if missing:
        text += "\n" + t("ex.progress_missing", questions="; ".join(missing))
    return Feedback("progress", not missing, text)
