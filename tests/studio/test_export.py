"""The override export's levels: absent is 0; present keeps the AI's level when the instructor
agreed (at least 1) and is 2 when the instructor corrected the AI."""

from __future__ import annotations

import json

from sim.studio.review.export import dimension_level, jsonl, training_record


def test_dimension_levels():
    assert dimension_level({"present": True, "level": 3}, False) == 0
    assert dimension_level({"present": True, "level": 3}, True) == 3
    assert dimension_level({"present": True, "level": 1}, True) == 1
    assert dimension_level({"present": True, "level": 0}, True) == 1  # present at 'none'
    assert dimension_level({"present": False, "level": 0}, True) == 2
    assert dimension_level({}, True) == 2


def test_record_shape_and_unicode():
    ai = {"validation": {"present": True, "level": 2}, "curiosity": {"present": False, "level": 0},
          "confrontation": {"present": True, "level": 3},
          "process_comment": {"present": False, "level": 0}}
    final = {"validation": True, "curiosity": True, "confrontation": False,
             "process_comment": False}
    rec = training_record(7, "Ich weiß nicht.", "Sie wissen es nicht — und?", ai, final,
                          ["reflection_simple", "question_open"], None)
    assert rec == {"id": "override-7", "context": "Ich weiß nicht.",
                   "reply": "Sie wissen es nicht — und?",
                   "codes": ["reflection_simple", "question_open"], "validation": 2,
                   "curiosity": 2, "confrontation": 0, "process_comment": 0,
                   "source": "instructor", "note": None}
    text = jsonl([rec, rec])
    assert text.count("\n") == 2 and "weiß" in text
    assert json.loads(text.splitlines()[0]) == rec
