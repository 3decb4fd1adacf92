"""The article's stack, for comparison: a small Flask todo API kept in memory.

Not a stage and not the article's code: a reference server of the benchmark tour, so learners can
measure Flask on their own machine next to the Node stages. It answers the routes the tour's
`hello` and `list` scenarios use, with the same JSON shapes, and holds the very todos the stages
hold: at start-up it reads every row of the SQLite file stage 03's `npm run seed` wrote (DB_PATH,
by default stage 03's own), so every gunicorn worker holds the same data.

    python3 app.py                                                        # Flask's development server
    gunicorn --worker-class sync --workers 5 --bind 127.0.0.1:8000 app:app    # pre-forked sync workers
    gunicorn --worker-class gevent --workers 5 --bind 127.0.0.1:8000 app:app  # async (gevent) workers
"""

import os
import signal
import sqlite3
import sys

from flask import Flask, jsonify, request

app = Flask(__name__)
if hasattr(app, "json"):
    app.json.sort_keys = False  # the stages' key order (Flask 2.2+)
DEFAULT_DB = os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../stages/03-mongo/.data/todo.db")
)


def number(value):
    """SQLite's REAL as the stages print it: 1764000000, not 1764000000.0."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def stored(path):
    """Every todo in the file, newest first, in the order and shape the stages answer."""
    if not os.path.exists(path):
        sys.exit(f"no database at {path}: seed one with stage 03 (npm run seed), or set DB_PATH")
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = db.execute(
            "SELECT id, content, created_at, is_finished, finished_at FROM todos"
            " ORDER BY created_at DESC, id DESC"
        ).fetchall()
    finally:
        db.close()
    return [
        {
            "id": todo_id,
            "content": content,
            "created_at": number(created_at),
            "is_finished": bool(is_finished),
            "finished_at": number(finished_at),
        }
        for todo_id, content, created_at, is_finished, finished_at in rows
    ]


todos = stored(os.environ.get("DB_PATH") or DEFAULT_DB)


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
