"""Rule files as tested artefacts: scenario tests (``zonescore test``)."""
