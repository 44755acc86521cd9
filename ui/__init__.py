"""The web UI: a Gradio adapter over the assistant's public API.

    from ui import create_app, launch_app
    launch_app(create_app(), host="127.0.0.1", port=7860)
"""

from ui.app import create_app, launch_app, serving_options

__all__ = ["create_app", "launch_app", "serving_options"]
