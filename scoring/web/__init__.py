"""``zonescore serve``: a local web page to tune the weights together, answered by the library.

:mod:`.session` answers every question with the functions the CLI commands call; :mod:`.app` is
the FastAPI application around it; :mod:`.server` runs it with uvicorn; ``static/`` holds the page
(HTML, JS, CSS; ECharts comes from :mod:`scoring.assets`). FastAPI and uvicorn are imported only
here, never by the rest of the library.
"""
