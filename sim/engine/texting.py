"""Trainees who type like they text ("r u thinking of hurting urself", "wat do u do for work")
are read like anyone else: the common shorthand is spelled out before the listening rules run.
The scorer sees the trainee's own words; only the engine's patterns read this plain form."""

from __future__ import annotations

import re

SHORTHAND = {
    "u": "you", "ya": "you", "yu": "you", "ur": "your", "urs": "yours", "urself": "yourself",
    "r": "are", "ppl": "people", "abt": "about", "wat": "what", "wot": "what", "wht": "what",
    "im": "I'm", "ive": "I've", "dont": "don't", "cant": "can't", "wont": "won't",
    "didnt": "didn't", "doesnt": "doesn't", "isnt": "isn't", "arent": "aren't",
    "wasnt": "wasn't", "havent": "haven't", "thx": "thanks", "pls": "please", "plz": "please",
    "cuz": "because", "coz": "because", "bc": "because", "b4": "before", "2day": "today",
    "tmrw": "tomorrow", "2morrow": "tomorrow", "rn": "right now", "idk": "I don't know",
    "tbh": "to be honest", "ok": "okay", "k": "okay", "n": "and", "nite": "night",
    "2nite": "tonight", "tonite": "tonight", "wanna": "want to", "gonna": "going to",
    "gotta": "got to", "kinda": "kind of", "sorta": "sort of", "bout": "about",
    "hw": "how", "hv": "have", "wen": "when", "whr": "where", "luv": "love", "bf": "boyfriend",
    "gf": "girlfriend", "sis": "sister", "bro": "brother", "mum": "mum", "fam": "family",
}
_TOKEN = re.compile(r"(?<![\w'])(" + "|".join(sorted(map(re.escape, SHORTHAND), key=len,
                                                       reverse=True)) + r")(?![\w'])", re.I)


def plain(text: str) -> str:
    """`text` with texting shorthand spelled out (case kept for the rest)."""
    return _TOKEN.sub(lambda m: SHORTHAND[m.group(1).lower()], text)
