"""Input hygiene shared by every engine: defined results for odd replies instead of crashes.

Policy (documented in scoring/MODEL_CARD.md):
- empty or whitespace-only reply: scored as all-zero with the warning "empty reply";
- control characters (except newline and tab) are removed, with a warning;
- replies longer than MAX_CHARS are truncated for scoring, with a warning;
- text that does not look like English is scored, with a warning that the model is English-only.
The returned ReplyScore.reply is the text that was scored, so evidence offsets index into it.
"""

from __future__ import annotations

import re
import unicodedata

from scoring.offline.features import words

MAX_CHARS = 4000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_ENGLISH = words(
    "i you the a to and it is that what of in my me do this so your for be not have how are "
    "was with can about just like feel sounds think know but if on we there"
)


def prepare(reply: str, max_chars: int = MAX_CHARS) -> tuple[str, list[str]]:
    """Cleans a reply for scoring; returns the text to score and the warnings raised."""
    if not isinstance(reply, str):
        raise TypeError(f"reply must be a string, got {type(reply).__name__}")
    warnings: list[str] = []
    text = unicodedata.normalize("NFC", reply)
    cleaned = _CONTROL.sub("", text)
    if cleaned != text:
        warnings.append(f"removed {len(text) - len(cleaned)} control character(s)")
    text = cleaned.replace("\r\n", "\n").replace("\t", " ")
    if len(text) > max_chars:
        warnings.append(f"reply is {len(text)} characters; scored the first {max_chars} only")
        text = text[:max_chars]
    if not text.strip():
        warnings.append("empty reply: nothing to score, every dimension is 0")
        return text, warnings
    words = re.findall(r"[^\W\d_]+", text.lower())
    if not words:
        warnings.append("reply has no words (only symbols, digits or emoji): scored as is")
    else:
        joined = "".join(words)
        ascii_letters = len(joined.encode("ascii", "ignore"))
        letters = len(joined)
        english = sum(w in _ENGLISH for w in words)
        if ascii_letters / letters < 0.7 or (len(words) >= 5 and english == 0):
            warnings.append("reply does not look like English; the model was trained on "
                            "English only, so treat the ratings with caution")
    return text, warnings
