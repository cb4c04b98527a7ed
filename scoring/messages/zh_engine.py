"""Chinese for the messages of scoring.engine."""
ZH: dict[str, str] = {
}
