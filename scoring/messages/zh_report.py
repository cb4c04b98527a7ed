"""Chinese for the messages of scoring.report."""
ZH: dict[str, str] = {
}
