"""Chinese for the messages of scoring.api."""
ZH: dict[str, str] = {
}
