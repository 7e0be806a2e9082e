"""The instructors' wing: the persona studio (sim/studio/personas/), review of trainees'
sessions (sim/studio/review/) and the scope rule that says whose sessions an instructor may see
(sim/studio/scope.py)."""
