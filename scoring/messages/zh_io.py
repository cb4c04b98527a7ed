"""Chinese for the messages of scoring.io."""
ZH: dict[str, str] = {
}
