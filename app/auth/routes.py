"""Provider sign-in: /auth/<provider>/login, /auth/<provider>/callback, /auth/logout.

Whatever happens at the provider, the reader comes back to the post at #respond with the
comment they typed still stored (app.comments.drafts); a failure is flashed there.
"""

from __future__ import annotations

import logging

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from flask import Response, current_app, flash, redirect, render_template, request, session, url_for
from joserfc.errors import JoseError

from app.auth import bp
from app.auth.clients import (
    InstanceError,
    instance_client,
    normalize_instance,
    oauth_client,
    stored_state,
)
from app.auth.providers import Provider, ProviderError, get_provider, is_enabled
from app.auth.services import safe_next, sign_in_with
from app.auth.session import current_identity, sign_out_identity
from app.auth.session import sign_in_identity as remember_identity
from app.extensions import db

log = logging.getLogger(__name__)

NEXT_KEY = "auth_next"


def _back(next_url: str, message: str | None = None) -> Response:
    if message:
        flash(message, "error")
    return redirect(f"{next_url}#respond")


def _int(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number < 2**31 else None  # beyond an integer column: no such row


def _stash_posted_draft(provider_name: str) -> None:
    """Keep the comment form that was posted with the provider button (never lose it)."""
    from app.comments.drafts import stash_draft
    from app.models import Comment, Post

    form = request.form
    post_id = _int(form.get("comment_post_ID"))
    if post_id is None or db.session.get(Post, post_id) is None:
        return
    parent_id = _int(form.get("comment_parent"))
    if parent_id is not None and db.session.get(Comment, parent_id) is None:
        parent_id = None
    stash_draft(
        post_id=post_id,
        body=form.get("comment", ""),
        parent_id=parent_id,
        author_name=form.get("author", "")[:250],
        author_email=form.get("email", "")[:254],
        author_url=form.get("url", "")[:500],
        notify_comments=bool(form.get("subscribe_comments")),
        notify_posts=bool(form.get("subscribe_blog")),
        provider=provider_name[:40],
    )
    db.session.commit()


def _enabled(name: str) -> Provider | None:
    provider = get_provider(name)
    return provider if provider is not None and is_enabled(provider) else None


@bp.route("/<provider>/login", methods=["GET", "POST"])
def login(provider: str) -> Response | tuple[str, int] | str:
    """Start a sign-in; a POST from the comment form first stores the typed comment."""
    next_url = safe_next(request.args.get("next") or request.form.get("next"))
    if request.method == "POST":
        _stash_posted_draft(provider)
    chosen = _enabled(provider)
    if chosen is None:
        return _back(next_url, "That sign-in method is not available on this site.")
    if chosen.needs_instance and request.method == "GET" and not request.args.get("instance"):
        return _instance_page(chosen, next_url)
    session[NEXT_KEY] = next_url
    redirect_uri = url_for("auth.callback", provider=chosen.name, _external=True)
    instance = None
    try:
        if chosen.needs_instance:
            instance = normalize_instance(request.values.get("instance"))
            client = instance_client(chosen, instance, register=True)
        else:
            client = oauth_client(chosen)
        started = client.create_authorization_url(redirect_uri)
    except InstanceError as exc:
        if "comment_post_ID" in request.form:
            return _back(next_url, str(exc))
        return _instance_page(chosen, next_url, str(exc)), 400
    except ProviderError as exc:
        return _back(next_url, str(exc))
    except (requests.RequestException, AuthlibBaseError, ValueError, RuntimeError) as exc:
        # RuntimeError: Authlib found no authorize endpoint (a configuration mistake).
        log.warning("sign-in with %s could not start: %r", chosen.name, exc)
        return _back(next_url, f"{chosen.title} could not be reached. Please try again later.")
    client.save_authorize_data(redirect_uri=redirect_uri, instance=instance, **started)
    return redirect(started["url"])


def _instance_page(provider: Provider, next_url: str, error: str = "") -> str:
    """Ask for the reader's instance (reached without one, e.g. with JavaScript off)."""
    return render_template(
        "auth/instance.html",
        provider=provider,
        next_url=next_url,
        instance=request.values.get("instance", ""),
        error=error,
        placeholder="mastodon.social",
        standin=current_app.config.get("DEV_IDP_MASTODON_INSTANCE", ""),
    )


def _failure_message(provider: Provider, exc: Exception) -> str:
    title = provider.title
    if isinstance(exc, MismatchingStateError):
        return (
            f"The sign-in with {title} could not be checked (it expired or was started in "
            "another window). Please try again; your comment is still here."
        )
    if isinstance(exc, OAuthError) and exc.error == "access_denied":
        return f"The sign-in with {title} was cancelled. Your comment is still here."
    if isinstance(exc, requests.Timeout):
        return f"{title} did not answer in time. Please try again; your comment is still here."
    if isinstance(exc, requests.ConnectionError):
        return f"{title} could not be reached. Please try again; your comment is still here."
    if isinstance(exc, JoseError):
        return f"{title}'s sign-in token could not be verified. Your comment is still here."
    if isinstance(exc, ProviderError | requests.HTTPError):
        return f"{title} did not send your profile. Please try again; your comment is still here."
    return f"{title} refused the sign-in. Please try again; your comment is still here."


@bp.route("/<provider>/callback")
def callback(provider: str) -> Response:
    """The provider's redirect: check state, exchange the code, read the profile, sign in."""
    next_url = safe_next(session.pop(NEXT_KEY, "/"))
    chosen = _enabled(provider)
    if chosen is None:
        return _back(next_url, "That sign-in method is not available on this site.")
    try:
        if chosen.needs_instance:
            data = stored_state(chosen, request.args.get("state")) or {}
            if not data.get("instance"):
                raise MismatchingStateError()
            client = instance_client(chosen, data["instance"])
        else:
            client = oauth_client(chosen)
        options = None
        if chosen.openid:
            issuer = client.load_server_metadata().get("issuer", "")
            spellings = [issuer]
            if chosen.issuer_without_scheme:
                spellings.append(issuer.split("://", 1)[-1])
            # Authlib checks `aud` only when told to: an id_token minted for another
            # client must not sign anyone in here.
            options = {
                "iss": {"essential": True, "values": spellings},
                "aud": {"essential": True, "values": [client.client_id]},
            }
        token = client.authorize_access_token(claims_options=options)
        if chosen.openid and not token.get("userinfo"):
            raise ProviderError("no id_token")
        info = chosen.profile(client, token)
        identity = sign_in_with(info, current_identity())
    except (
        AuthlibBaseError,
        JoseError,
        ProviderError,
        InstanceError,
        requests.RequestException,
        ValueError,
        KeyError,
        TypeError,
        RuntimeError,
    ) as exc:
        db.session.rollback()
        log.info("sign-in with %s failed: %r", chosen.name, exc)
        return _back(next_url, _failure_message(chosen, exc))
    remember_identity(identity)
    return redirect(f"{next_url}#respond")


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    """End the commenter's sign-in; the draft, if any, is kept."""
    sign_out_identity()
    return redirect(f"{safe_next(request.form.get('next'))}#respond")
