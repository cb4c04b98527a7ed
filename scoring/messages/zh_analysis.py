"""Chinese for the messages of scoring.analysis."""
ZH: dict[str, str] = {
}
