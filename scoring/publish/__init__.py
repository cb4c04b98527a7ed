"""Documents to publish: the HTML report with charts, per-unit report cards, the 通报 draft (Word).

Everything here reads a :class:`scoring.engine.run.RunResult` (and explanations) and returns
text or bytes; the words come from the rule file and :mod:`scoring.report.words`, in the rule
file's language. Outputs are deterministic: no times, no random ids.
"""
