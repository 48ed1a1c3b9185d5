# Copied unchanged from the project's shared benchmark floor (shared/bench/floor_app.py, beside this
# repository); only this header is added. Keep the logic identical: the lesson page is judged against it.
"""A floor for the lesson page: the least a signed-in lesson view must do on this stack (Flask-Login session,
one user query, one progress query, a precompiled Jinja template with a CSRF token, ~7 KB of HTML).
Served beside the app in tools/perf.py; the lesson page is judged as a ratio of this and of hello world."""
import sqlite3, os
from flask import Flask
from flask_login import LoginManager, UserMixin, login_user, login_required
from flask_wtf.csrf import CSRFProtect, generate_csrf
from sqlalchemy import create_engine, text

app = Flask(__name__); app.secret_key = "floor-secret-0123456789"
CSRFProtect(app)
lm = LoginManager(app)
eng = create_engine("sqlite:///" + os.environ.get("FLOOR_DB", os.path.join(__import__("tempfile").gettempdir(), "floor-app.db")))
with eng.begin() as c:
    c.execute(text("create table if not exists users(id integer primary key, name text)"))
    c.execute(text("create table if not exists progress(user_id int, lesson text, seen int)"))
    c.execute(text("insert or ignore into users(id,name) values (1,'A')"))
class U(UserMixin):
    def __init__(self, i, n): self.id, self.name = i, n
@lm.user_loader
def load(uid):
    with eng.connect() as c:
        r = c.execute(text("select id,name from users where id=:i"), {"i": int(uid)}).first()
    return U(*r) if r else None
BODY = "<p>" + "lesson text " * 600 + "</p>"
T = """<!doctype html><html><head><title>{{t}}</title></head><body><nav>{{u.name}}</nav><main>{{body|safe}}</main>
<form method=post><input type=hidden name=csrf_token value="{{ csrf_token() }}"><button>Mark as done</button></form></body></html>"""
@app.get("/login1")
def l():
    login_user(U(1, "A")); return "ok"
@app.get("/lesson")
@login_required
def lesson():
    from flask_login import current_user
    with eng.connect() as c:
        c.execute(text("select seen from progress where user_id=:u and lesson=:l"), {"u": 1, "l": "x"}).first()
    return TT.render(t="Lesson", u=current_user, body=BODY, csrf_token=generate_csrf)
TT = app.jinja_env.from_string(T)
@app.get("/hello")
def hello(): return "Hello, World!"
