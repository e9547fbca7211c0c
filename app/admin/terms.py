"""Posts > Categories and Tags: list with post counts, add, edit, delete."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import exists, func, select

from app.admin import bp
from app.admin.forms import TermForm
from app.admin.permissions import requires
from app.content import unique_slug
from app.extensions import db
from app.models import Taxonomy, Term, log_activity, post_terms

LABELS = {Taxonomy.CATEGORY: ("Categories", "Category"), Taxonomy.TAG: ("Tags", "Tag")}


def _taxonomy(taxonomy: str) -> str:
    if taxonomy not in LABELS:
        abort(404)
    return taxonomy


def save_term(term: Term, name: str, slug: str, parent_id: int | None, description: str) -> None:
    """Store a term with a unique slug and a parent that makes no loop; commits."""
    term.name = name.strip()
    term.description = description.strip()

    def taken(candidate: str) -> bool:
        clause = exists().where(Term.taxonomy == term.taxonomy, Term.slug == candidate)
        if term.id is not None:
            clause = clause.where(Term.id != term.id)
        return bool(db.session.execute(select(clause)).scalar())

    term.slug = unique_slug(slug.strip() or term.name, taken, fallback=term.taxonomy)
    parent = db.session.get(Term, parent_id) if parent_id else None
    seen = set()
    ancestor = parent
    while ancestor is not None and ancestor.id not in seen:
        if term.id is not None and ancestor.id == term.id:
            parent = None  # a category cannot sit under its own child
            break
        seen.add(ancestor.id)
        ancestor = ancestor.parent
    term.parent_id = parent.id if parent is not None and parent.taxonomy == term.taxonomy else None
    if term.id is None:
        db.session.add(term)
    db.session.flush()
    log_activity(current_user.id, f"{term.taxonomy}.save", term, term.name)
    db.session.commit()


def _form(taxonomy: str, term: Term | None) -> TermForm:
    form = TermForm(obj=term) if request.method == "GET" and term else TermForm()
    if request.method == "GET" and term is not None:
        form.parent_id.data = term.parent_id or 0
    others = db.session.execute(
        select(Term.id, Term.name).where(Term.taxonomy == taxonomy).order_by(Term.name)
    ).all()
    form.parent_id.choices = [(0, "None")] + [
        (i, n) for i, n in others if term is None or i != term.id
    ]
    return form


@bp.route("/terms/<taxonomy>/", methods=["GET", "POST"])
@requires("categories.manage")
def terms(taxonomy: str):
    """Every term of the taxonomy with its post count, and the Add New form."""
    taxonomy = _taxonomy(taxonomy)
    form = _form(taxonomy, None)
    if form.validate_on_submit():
        term = Term(taxonomy=taxonomy)
        save_term(term, form.name.data, form.slug.data or "", form.parent_id.data or None,
                  form.description.data or "")  # fmt: skip
        flash(f"{LABELS[taxonomy][1]} “{term.name}” added.", "success")
        return redirect(url_for("admin.terms", taxonomy=taxonomy))
    items = list(
        db.session.execute(select(Term).where(Term.taxonomy == taxonomy).order_by(Term.name))
        .unique()
        .scalars()
    )
    counts = dict(
        db.session.execute(
            select(post_terms.c.term_id, func.count()).group_by(post_terms.c.term_id)
        ).all()
    )
    return render_template(
        "admin/terms.html", taxonomy=taxonomy, labels=LABELS[taxonomy], items=items,
        counts=counts, form=form,
    ), (422 if form.errors else 200)  # fmt: skip


@bp.route("/terms/<taxonomy>/<int:term_id>", methods=["GET", "POST"])
@requires("categories.manage")
def edit_term(taxonomy: str, term_id: int):
    """Rename a term, change its slug, parent or description; or delete it."""
    taxonomy = _taxonomy(taxonomy)
    term = db.session.get(Term, term_id)
    if term is None or term.taxonomy != taxonomy:
        abort(404)
    if request.method == "POST" and request.form.get("action") == "delete":
        # CSRFProtect has already checked the token of this POST.
        log_activity(current_user.id, f"{taxonomy}.delete", term, term.name)
        db.session.delete(term)
        db.session.commit()
        flash(f"{LABELS[taxonomy][1]} deleted; its posts keep their other terms.", "success")
        return redirect(url_for("admin.terms", taxonomy=taxonomy))
    form = _form(taxonomy, term)
    if form.validate_on_submit():
        save_term(term, form.name.data, form.slug.data or "", form.parent_id.data or None,
                  form.description.data or "")  # fmt: skip
        flash(f"{LABELS[taxonomy][1]} updated.", "success")
        return redirect(url_for("admin.terms", taxonomy=taxonomy))
    return render_template(
        "admin/term_edit.html", taxonomy=taxonomy, labels=LABELS[taxonomy], term=term, form=form
    ), (422 if form.errors else 200)
