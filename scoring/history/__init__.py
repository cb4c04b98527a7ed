"""The history store: every recorded run of the yearly cycle (草稿 → 公示 → 复核 → 终审) in SQLite.

:mod:`.store` opens a store and migrates its schema; :mod:`.record` records and reproduces runs;
:mod:`.previous` joins earlier years' final results into a run (``prev.*`` in expressions, the
year-over-year columns); :mod:`.amend` applies corrections (异议) and records a 复核 run;
:mod:`.diff` compares two runs; :mod:`.trend` tabulates a unit's years.
"""
