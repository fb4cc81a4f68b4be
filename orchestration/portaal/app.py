"""The Flask application of the Aanleverportaal (docs/aanleverportaal.md).

Security defaults, each for a reason given in docs/aanleverportaal.md: CSRF tokens on every
form (Flask-WTF), a session cookie that scripts cannot read and other sites do not get
(HttpOnly, SameSite=Lax; Secure behind TLS), a request-size limit enforced while the body
streams in, a Content-Security-Policy without inline scripts, login attempts limited per
address and user name, and every stored file named by its sha256.
"""

from __future__ import annotations

import os
import re
import time
from datetime import UTC, datetime, timedelta
from functools import wraps
from io import BytesIO
from pathlib import Path

from flask import (
    Flask,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError, CSRFProtect
from flask_wtf.file import FileField
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from orchestration import bronnen
from orchestration.bronnen.bron import Checked
from orchestration.bronnen.zorggroep.standard import MAX_FILE_BYTES
from orchestration.inname.previous import previous_from_archive
from orchestration.inname.report import summary, write_html, write_json
from orchestration.paths import DataPaths
from orchestration.portaal import formaat, guards, opslag
from orchestration.portaal.accounts import Accounts, LoginLimiter, ensure_secrets
from orchestration.portaal.gemarkeerd import annotate
from orchestration.portaal.organisaties import Organisatie, matches
from orchestration.portaal.status import local_time, statuses
from orchestration.warehouse.errors import Problem

SECURE_COOKIES_ENV = "CAPMON_PORTAAL_SECURE_COOKIES"
# Multipart framing around the file: the body may be this much larger than the file itself.
FORM_OVERHEAD_BYTES = 64 * 1024
FINAL = {"gepubliceerd", "afgekeurd", "geweigerd", "vervangen", "dubbel"}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class LoginForm(FlaskForm):
    gebruikersnaam = StringField("Organisatiecode", validators=[DataRequired(), Length(max=80)])
    wachtwoord = PasswordField("Wachtwoord", validators=[DataRequired(), Length(max=200)])


class UploadForm(FlaskForm):
    bestand = FileField("Bestand")


class LogoutForm(FlaskForm):
    pass


def create_app(paths: DataPaths, secure_cookies: bool | None = None) -> Flask:
    home = opslag.portaal_home(paths)
    app = Flask(__name__)
    if secure_cookies is None:
        secure_cookies = os.environ.get(SECURE_COOKIES_ENV, "") not in ("", "0")
    app.config.update(
        SECRET_KEY=ensure_secrets(home)["secret_key"],
        SESSION_COOKIE_NAME="capmon_portaal",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure_cookies,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
        MAX_CONTENT_LENGTH=MAX_FILE_BYTES + FORM_OVERHEAD_BYTES,
        WTF_CSRF_TIME_LIMIT=8 * 3600,
    )
    CSRFProtect(app)
    accounts = Accounts(home)
    limiter = LoginLimiter()

    def current() -> Organisatie | None:
        username = session.get("organisatie")
        return accounts.find(username) if username else None

    def login_required(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            organisatie = current()
            if organisatie is None:
                if request.method == "GET":
                    return redirect(url_for("inloggen"))
                abort(403)
            return view(organisatie, *args, **kwargs)

        return wrapped

    @app.after_request
    def headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.template_filter("lokaal")
    def lokaal(moment: str) -> str:
        """A stored UTC time (ISO) as Dutch wall-clock time, as the publication time is."""
        return local_time(datetime.fromisoformat(moment))

    @app.context_processor
    def common():
        return {"organisatie": current(), "logout_form": LogoutForm()}

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error):
        limit = MAX_FILE_BYTES / 1024 / 1024
        message = (
            f"Het bestand is te groot: de grens is {limit:.0f} MB. Het is niet ontvangen en "
            "niet bewaard."
        )
        return render_template("fout.html", melding=message), 413

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        message = (
            "Het formulier is verlopen of niet via deze site verstuurd. Laad de pagina opnieuw "
            "en probeer het nog eens."
        )
        return render_template("fout.html", melding=message), 400

    @app.errorhandler(403)
    def forbidden(error):
        return render_template("fout.html", melding="Geen toegang; log eerst in."), 403

    @app.errorhandler(404)
    def not_found(error):
        return render_template("fout.html", melding="Deze pagina bestaat niet."), 404

    @app.get("/")
    def index():
        return redirect(url_for("overzicht" if current() else "inloggen"))

    @app.route("/inloggen", methods=["GET", "POST"])
    def inloggen():
        form = LoginForm()
        if form.validate_on_submit():
            username = form.gebruikersnaam.data
            if not limiter.allow(request.remote_addr or "", username):
                flash("Te veel inlogpogingen; probeer het over een minuut opnieuw.", "fout")
                return render_template("inloggen.html", form=form), 429
            organisatie = accounts.verify(username, form.wachtwoord.data)
            if organisatie is None:
                flash("Onbekende organisatiecode of verkeerd wachtwoord.", "fout")
                return render_template("inloggen.html", form=form), 401
            session.clear()  # a new session at login: no fixation of an earlier one
            session.permanent = True
            session["organisatie"] = organisatie.username
            return redirect(url_for("overzicht"))
        return render_template("inloggen.html", form=form)

    @app.post("/uitloggen")
    def uitloggen():
        if LogoutForm().validate_on_submit():
            session.clear()
        return redirect(url_for("inloggen"))

    @app.get("/aanleveringen")
    @login_required
    def overzicht(organisatie: Organisatie):
        records = opslag.records_of(paths, organisatie.bron, organisatie.code)
        found = statuses(paths, records)
        waiting = any(found[r.sha256].code not in FINAL for r in records)
        return render_template(
            "overzicht.html",
            form=UploadForm(),
            records=records,
            statuses=found,
            verversen=waiting,
            max_mb=MAX_FILE_BYTES / 1024 / 1024,
            max_bytes=MAX_FILE_BYTES,
            suffix=bronnen.by_name(organisatie.bron).suffix,
        )

    @app.get("/template")
    @login_required
    def template(organisatie: Organisatie):
        found = formaat.template_bytes(organisatie.bron)
        if found and request.args.get("download"):
            content, name, mimetype = found
            return send_file(
                BytesIO(content), mimetype=mimetype, download_name=name, as_attachment=True
            )
        return render_template(
            "template.html",
            downloadbaar=found is not None,
            kolommen=formaat.columns(organisatie.bron),
            suffix=bronnen.by_name(organisatie.bron).suffix,
        )

    @app.post("/aanleveren")
    @login_required
    def aanleveren(organisatie: Organisatie):
        form = UploadForm()
        if not form.validate_on_submit():
            abort(400)
        upload = request.files.get("bestand")
        if upload is None or not upload.filename:
            flash("Kies eerst een bestand om aan te leveren.", "fout")
            return redirect(url_for("overzicht"))
        record = take_upload(paths, organisatie, upload.filename, upload.stream)
        if record is None:
            return too_large(None)
        return redirect(url_for("aanlevering", sha256=record.sha256))

    @app.get("/aanleveringen/<sha256>")
    @login_required
    def aanlevering(organisatie: Organisatie, sha256: str):
        record = opslag.load_record(paths, organisatie.bron, organisatie.code, sha256)
        if record is None:
            abort(404)  # also another organisation's: whether it exists is not told
        # All of the organisation's uploads: a later one for the same period supersedes.
        own = opslag.records_of(paths, organisatie.bron, organisatie.code)
        status = statuses(paths, own)[record.sha256]
        # A refused upload was never checked as this organisation's: no report to show.
        report = opslag.read_report(paths, record) if record.uitkomst != opslag.REFUSED else None
        return render_template(
            "aanlevering.html",
            record=record,
            status=status,
            rapport=report,
            verversen=status.code not in FINAL,
        )

    @app.get("/aanleveringen/<sha256>/rapport.html")
    @login_required
    def rapport_html(organisatie: Organisatie, sha256: str):
        record = opslag.load_record(paths, organisatie.bron, organisatie.code, sha256)
        if record is None or record.uitkomst == opslag.REFUSED:
            abort(404)
        path = opslag.report_base(paths, record.sha256).with_name(
            opslag.stored_name(record.sha256, "") + ".rapport.html"
        )
        if not path.is_file():
            abort(404)
        response = send_file(
            path, mimetype="text/html", download_name=f"rapport_{sha256[:12]}.html"
        )
        # The intake's report styles itself inline (inname/report.py) and has no script.
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
        )
        return response

    @app.get("/aanleveringen/<sha256>/gemarkeerd.xlsx")
    @login_required
    def gemarkeerd(organisatie: Organisatie, sha256: str):
        record = opslag.load_record(paths, organisatie.bron, organisatie.code, sha256)
        report = opslag.read_report(paths, record) if record else None
        if record is None or record.uitkomst == opslag.REFUSED:
            abort(404)
        stored = opslag.original(paths, record) if report else None
        if stored is None or stored.suffix != ".xlsx":
            abort(404)
        content = annotate(stored, report.get("problemen", []))
        return send_file(
            BytesIO(content),
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            download_name=f"gemarkeerd_{record.bestandsnaam.removesuffix('.xlsx')}.xlsx",
            as_attachment=True,
        )

    return app


def take_upload(paths: DataPaths, organisatie: Organisatie, filename: str, stream):
    """Receive, guard, check and place one upload; its record (None when too large)."""
    # As the intake: a synthetic world's maximums grow with its scale (bronnen/schaal.py).
    bron = bronnen.by_name(organisatie.bron).in_folder(paths)
    name = opslag.display_name(filename)
    try:
        received, sha256, size = opslag.receive(stream, paths, MAX_FILE_BYTES)
    except opslag.TooLarge:
        return None
    record = opslag.Record(
        sha256=sha256,
        bron=bron.name,
        organisatie=organisatie.code,
        bestandsnaam=name,
        ontvangen_op=datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds"),
        uitkomst=opslag.REFUSED,
    )
    refusal = None
    if Path(name).suffix.lower() != bron.suffix:
        refusal = (
            f"Lever een {bron.suffix}-bestand aan; '{name}' heeft een andere extensie. "
            "Het is niet gecontroleerd en niet aangeleverd."
        )
    else:
        refusal = guards.refusal(received, bron.suffix)
    if refusal:
        suffix = re.sub(r"[^a-z0-9.]", "", Path(name).suffix.lower())[:10]
        opslag.quarantine(received, paths, sha256, suffix)
        record.melding = refusal
        opslag.save_record(paths, record)
        return record

    checkable = opslag.checkable_copy(received, sha256, bron.suffix)
    started = time.monotonic()
    try:
        checked = bron.check(checkable, previous=previous_from_archive(paths))
    except Exception as error:  # noqa: BLE001 - as the intake: unreadable means rejected
        checked = Checked(
            None,
            [
                Problem(
                    name,
                    "onleesbaar",
                    f"het bestand kon niet worden gecontroleerd ({type(error).__name__})",
                )
            ],
        )
    record.controle_seconden = round(time.monotonic() - started, 2)
    record.periode = checked.periode
    record.gevonden_organisatie = checked.organisatie
    record.aantal_fouten = len(checked.errors)
    record.aantal_waarschuwingen = len(checked.warnings)
    foreign = checked.organisatie is not None and not matches(
        organisatie, bron.name, checked.organisatie
    )
    if foreign:
        record.melding = (
            f"Dit bestand is van organisatie '{checked.organisatie}', maar u bent ingelogd als "
            f"'{organisatie.code}'. U kunt alleen voor uw eigen organisatie aanleveren; het "
            "bestand is niet aangeleverd."
        )
        opslag.quarantine(checkable, paths, sha256, bron.suffix)
        opslag.save_record(paths, record)
        return record
    base = opslag.report_base(paths, sha256)
    extra = {
        "bron": bron.name,
        "sha256": sha256,
        "organisatie": checked.organisatie,
        "periode": checked.periode,
    }
    if not checked.errors and checked.organisatie is None:
        # Cannot happen for a file without errors (identify names its sender); refuse
        # rather than deliver a file nobody can be held to.
        record.melding = "De organisatie in het bestand kon niet worden vastgesteld."
        opslag.quarantine(checkable, paths, sha256, bron.suffix)
        opslag.save_record(paths, record)
        return record
    status = opslag.REJECTED if checked.errors else "goedgekeurd"
    write_json(
        base.with_name(base.name + ".rapport.json"),
        name,
        checked.problems,
        extra | {"status": status},
    )
    write_html(base.with_name(base.name + ".rapport.html"), name, checked.problems)
    record.melding = summary(name, checked.problems)
    if checked.errors:
        record.uitkomst = opslag.REJECTED
        opslag.quarantine(checkable, paths, sha256, bron.suffix)
    else:
        record.uitkomst = opslag.IN_INBOX
        record.inbox_naam = opslag.place_in_inbox(checkable, paths, bron.name, sha256, bron.suffix)
        checkable.unlink(missing_ok=True)
    opslag.save_record(paths, record)
    return record
