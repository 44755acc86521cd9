"""The assistant over HTTP, in the OpenAI chat format, for the chat front-ends and scripts people already use
(Open WebUI, LibreChat, the `openai` client): `server.py` serves it alone (`assistant serve`), `routes.py` holds its
routes (also served beside the web UI), `chat_format.py` reads requests and writes answers.

FastAPI and uvicorn load only when a server is made.
"""

from assistant.serve.server import ApiServer, create_api, serving_options

__all__ = ["ApiServer", "create_api", "serving_options"]
