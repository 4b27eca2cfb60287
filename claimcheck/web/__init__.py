"""The review web app (Starlette + Jinja2): see `app.create_app`."""
