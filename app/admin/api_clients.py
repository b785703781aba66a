"""The admin's page for the FHIR API's clients: register an app (redirect URIs, scopes) or a
backend system (its public key set, system/ scopes), see them, and disable one (every token it
holds stops working at once)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length

from app.admin import bp
from app.extensions import db
from app.forms import Form, stripped, stripped_lines, whole_number
from app.models import ApiClient, Role
from app.services import audit
from app.services.api import clients
from app.services.api.scopes import APP_DEFAULT_SCOPES, BACKEND_DEFAULT_SCOPES
from app.services.api.urls import fhir_base, token_url
from app.web.access import found_or_refused, role_required
from app.web.htmx import form_status


class ApiClientForm(Form):
    name = StringField(
        _l("Name"),
        filters=[stripped],
        validators=[DataRequired(_l("Name the app or system.")), Length(max=120)],
    )
    kind = RadioField(
        _l("Kind"),
        choices=[
            SelectChoice("app", _l("An app a person signs in to")),
            SelectChoice("backend", _l("A backend system (no person)")),
        ],
        default="app",
        validators=[AnyOf(["app", "backend"], message=_l("Choose the kind."))],
    )
    redirect_uris = TextAreaField(
        _l("Redirect URIs (apps: one a line)"), filters=[stripped_lines], validators=[Length(max=4000)]
    )
    scopes = StringField(
        _l("Scopes it may be granted (space-separated)"),
        filters=[stripped],
        validators=[DataRequired(_l("Name at least one scope.")), Length(max=2000)],
    )
    jwks = TextAreaField(
        _l("Public key set, JSON (backend systems)"), filters=[stripped_lines], validators=[Length(max=20000)]
    )
    requests_per_minute = whole_number(_l("Requests a minute it may make"), 1, 100000, required=True)


class DisableForm(Form):
    """A button-only POST: CSRF is all it carries."""


@bp.route("/api-clients", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def api_clients() -> Response | tuple[str, int]:
    form = ApiClientForm()
    if form.is_submitted() and not form.scopes.data:
        form.scopes.data = BACKEND_DEFAULT_SCOPES if form.kind.data == "backend" else APP_DEFAULT_SCOPES
    if form.validate_on_submit():
        registration = clients.Registration(
            form.name.data,
            form.kind.data,
            form.redirect_uris.data or "",
            form.scopes.data,
            form.jwks.data or "",
            form.requests_per_minute.data or 300,
        )
        try:
            client = clients.register(registration, current_user)
        except clients.ClientRuleError as error:
            getattr(form, error.field).errors.append(_(str(error)))
        else:
            audit.record("api_client_register", detail=f"{client.name} ({client.client_id}), {client.kind}")
            db.session.commit()
            flash(
                _("%(name)s is registered. Its client id is %(id)s.", name=client.name, id=client.client_id),
                "success",
            )
            return redirect(url_for("admin.api_clients"), code=303)
    elif not form.is_submitted():
        form.scopes.data = APP_DEFAULT_SCOPES
        form.requests_per_minute.data = 300
    return render_template(
        "admin/api_clients.html",
        form=form,
        clients=clients.all_clients(),
        disable_form=DisableForm(),
        fhir_base=fhir_base(),
        token_url=token_url(),
    ), form_status()


@bp.post("/api-clients/<int:client_id>/disable")
@role_required(Role.ADMIN)
def disable_api_client(client_id: int) -> Response:
    client: ApiClient = found_or_refused(ApiClient, client_id)
    if DisableForm().validate_on_submit() and client.disabled_at is None:
        ended = clients.disable(client)
        audit.record("api_client_disable", detail=f"{client.name} ({client.client_id}): {ended} tokens ended")
        db.session.commit()
        flash(
            _(
                "%(name)s is disabled; %(count)s of its tokens stopped working.",
                name=client.name,
                count=ended,
            ),
            "success",
        )
    return redirect(url_for("admin.api_clients"), code=303)
