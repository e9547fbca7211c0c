"""Terms: hierarchical categories and flat tags, joined to posts through post_terms."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base


class Taxonomy:
    """The two taxonomies WordPress ships with."""

    CATEGORY = "category"
    TAG = "post_tag"


post_terms = Table(
    "post_terms",
    Base.metadata,
    Column("post_id", Integer, ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("term_id", Integer, ForeignKey("terms.id", ondelete="CASCADE"), primary_key=True),
)


class Term(Base):
    """A category (may have a parent) or a tag."""

    __tablename__ = "terms"
    __table_args__ = (UniqueConstraint("taxonomy", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    taxonomy: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("terms.id", ondelete="SET NULL"), index=True
    )

    parent: Mapped[Term | None] = relationship(remote_side=[id], lazy="joined", join_depth=3)

    @property
    def is_category(self) -> bool:
        """True for categories, false for tags."""
        return self.taxonomy == Taxonomy.CATEGORY

    @property
    def path(self) -> str:
        """Slug path through the parents, as in /category/parent/child/."""
        parts, term, seen = [], self, set()
        while term is not None and term.id not in seen:
            seen.add(term.id)
            parts.append(term.slug)
            term = term.parent
        return "/".join(reversed(parts))

    def __repr__(self) -> str:
        return f"<Term {self.taxonomy}:{self.slug}>"
