"""The article's stack, for comparison: a small Flask todo API kept in memory.

Not a stage and not the article's code: a reference server of the benchmark tour, so learners can
measure Flask on their own machine next to the Node stages. It answers the routes the tour's
`hello` and `list` scenarios use, with the same JSON shapes, and seeds itself with ROWS todos at
start-up so every gunicorn worker holds the same data.

    python3 app.py                                    # Flask's development server, as the article began
    gunicorn --workers 5 --bind 127.0.0.1:8000 app:app  # pre-forked sync workers, as the article went on
"""

import os
import signal
import time
import uuid

from flask import Flask, jsonify, request

app = Flask(__name__)


def seeded(count):
    """Newest first, one second apart, like the stages' seed scripts."""
    now = time.time()
    return [
        {
            "id": str(uuid.UUID(int=count - i)),
            "content": f"todo number {count - i}",
            "created_at": now - i,
            "is_finished": False,
            "finished_at": None,
        }
        for i in range(count)
    ]


todos = seeded(int(os.environ.get("ROWS", "10000")))


def whole_number(name, default, low, high):
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ValueError(f'"{name}" must be a whole number from {low} to {high}')
    return int(raw)


@app.get("/index")
def index():
    return jsonify(msg="hello world")


@app.get("/todo")
def todo_page():
    try:
        start = whole_number("start", 0, 0, 10**9)
        limit = whole_number("limit", 10, 1, 100)
    except ValueError as error:
        return jsonify(error={"status": 400, "message": str(error)}), 400
    return jsonify(data=todos[start : start + limit])


if __name__ == "__main__":
    # exit 0 on SIGTERM, as the tour expects of every server it stops (there is nothing to drain)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "8000")))
