"""The HTML pages an LMS shows (launch, picker, return to the LMS, refusal). Server-rendered,
because the platform posts to them; no inline script or style (scripts are files under
/static/js/lti/). They may be framed by the LMS, so they carry their own CSP: frame-ancestors
lets HTTPS pages (LMS hosts vary: Canvas frames from each school's domain) and the platform's
own origins frame them, and the page that posts back to the LMS may post to that origin only."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from urllib.parse import urlparse

from fastapi.responses import HTMLResponse


def origin(url: str | None) -> str | None:
    parts = urlparse(url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def csp(frame_origins: Iterable[str | None] = (), form_origins: Iterable[str | None] = ()
        ) -> str:
    frames = " ".join(sorted({o for o in frame_origins if o}))
    forms = " ".join(sorted({o for o in form_origins if o}))
    return ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            f"connect-src 'self'; base-uri 'none'; form-action 'self' {forms}".rstrip() + "; "
            f"frame-ancestors 'self' https: {frames}".rstrip())


def page(title: str, body: str, *, status: int = 200, script: str | None = None,
         frame_origins: Iterable[str | None] = (), form_origins: Iterable[str | None] = ()
         ) -> HTMLResponse:
    tag = f'<script type="module" src="/static/js/lti/{script}"></script>' if script else ""
    html = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} · Resistance practice room</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/css/app.css">
<link rel="stylesheet" href="/static/css/programs.css">
{tag}
</head>
<body>
<main id="main" class="lti-page">
{body}
</main>
</body>
</html>
"""
    return HTMLResponse(html, status_code=status, headers={
        "Content-Security-Policy": csp(frame_origins, form_origins),
        "Cache-Control": "no-store"})


def launch_page(title: str, enter_url: str, staff: bool, frames: Iterable[str | None]
                ) -> HTMLResponse:
    where = "its cohort dashboard" if staff else "the assignment"
    body = f"""<h1>{escape(title)}</h1>
<p>The practice room opens in a window of its own, so your browser's rules about cookies
inside the LMS cannot get in the way. It opens {where}, signed in as you.</p>
<p><a class="btn btn-primary" id="open-app" href="{escape(enter_url)}" target="_blank"
rel="noopener">Open {escape(title)} in a new window</a></p>
<p class="small muted" id="open-note" role="status">The button works once, for the next two
minutes; after that, launch again from the LMS.</p>"""
    return page(title, body, script="launch.js", frame_origins=frames)


def enter_page(next_path: str) -> HTMLResponse:
    body = f"""<h1>Signing you in</h1>
<p id="enter" data-next="{escape(next_path)}">You are signed in.
<a href="{escape(next_path)}">Continue to the practice room</a>.</p>"""
    return page("Signing you in", body, script="enter.js")


def picker_page(launch_id: str, context: str, scenarios: list[tuple[str, str, str]],
                frames: Iterable[str | None], error: str | None = None) -> HTMLResponse:
    options = "\n".join(
        f'<div class="radio"><input type="radio" name="persona_id" id="p-{escape(pid)}" '
        f'value="{escape(pid)}" required{" checked" if n == 0 else ""}>'
        f'<label for="p-{escape(pid)}"><strong>{escape(title)}</strong> '
        f'<span class="muted">{escape(summary)}</span></label></div>'
        for n, (pid, title, summary) in enumerate(scenarios))
    alert = (f'<p class="notice notice-error" role="alert" id="picker-error">{escape(error)}</p>'
             if error else "")
    body = f"""<h1>Choose a scenario for {escape(context)}</h1>
<p>The link you add to the course opens this scenario as an assignment; scores return to the
LMS gradebook when an attempt ends.</p>
{alert}
<form method="post" action="/lti/deep-link" class="card stack" id="picker">
<input type="hidden" name="launch_id" value="{escape(launch_id)}">
<fieldset><legend>Scenario</legend>
{options}
</fieldset>
<div class="field"><label for="title">Title in the LMS</label>
<input id="title" name="title" maxlength="200" placeholder="the scenario's title"></div>
<div class="field"><label for="mode">Mode</label>
<select id="mode" name="mode"><option value="exam">Exam (feedback at the end; no rewinding)
</option><option value="coach">Coach (feedback after every reply)</option></select></div>
<div class="field"><label for="attempts">Attempts allowed</label>
<input id="attempts" name="attempts_allowed" type="number" min="1" max="50" value="3"></div>
<p><button type="submit" class="btn btn-primary" id="add-link">Add to the course</button></p>
</form>"""
    return page("Choose a scenario", body, frame_origins=frames)


def return_page(return_url: str, token: str, title: str, frames: Iterable[str | None]
                ) -> HTMLResponse:
    body = f"""<h1>Adding {escape(title)} to the course</h1>
<form method="post" action="{escape(return_url)}" id="deep-link-return">
<input type="hidden" name="JWT" value="{escape(token)}">
<p>Sending your choice back to the LMS…</p>
<p><button type="submit" class="btn btn-primary">Return to the LMS</button></p>
</form>"""
    return page("Return to the LMS", body, script="autopost.js", frame_origins=frames,
                form_origins=[origin(return_url)])


def refused_page(code: str, message: str, ref: int | None, status: int) -> HTMLResponse:
    reference = f" Reference: launch log entry {ref}." if ref else ""
    body = f"""<h1>This launch was refused</h1>
<p class="notice notice-error" role="alert" id="refusal" data-code="{escape(code)}">
{escape(message)}</p>
<p class="small muted">Reason code <code>{escape(code)}</code>.{reference} The refusal is
logged; if it happens again, tell your LMS administrator, who can compare the platform's
registration here (LTI platforms) with the LMS's tool settings.</p>"""
    return page("Launch refused", body, status=status, frame_origins=[])
