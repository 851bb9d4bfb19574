"""Members: farmers, coordinators and admins, known by their LINE user id."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import ColumnElement, ForeignKey, String, or_, select, true
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.base import Base, JSONType, utcnow
from models.network import Center, center_and_below, district_cooperative

ROLES = ("member", "coordinator", "admin")
LANGUAGES = ("th", "en")
NOTICE_KINDS = ("feed", "acid", "fertilizer", "rice", "piglet", "rubber", "news")
"""what a member can ask not to be told of: a product category's new rounds (rubber: selling rounds), the centers'
announcements"""
_MOBILE = re.compile(r"0[689]\d{8}")


class Member(Base):
    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_user_id: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    name: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(16))
    district: Mapped[str | None] = mapped_column(String(64))
    cooperative_id: Mapped[int | None] = mapped_column(ForeignKey("centers.id"))
    membership_no: Mapped[str | None] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(16), default="member")
    center_id: Mapped[int | None] = mapped_column(ForeignKey("centers.id"))
    language: Mapped[str | None] = mapped_column(String(8))
    profile_language: Mapped[str | None] = mapped_column(String(16))
    consent_at: Mapped[datetime | None]
    interests: Mapped[list[str] | None] = mapped_column(JSONType)  # what they raise or grow (INTERESTS)
    muted: Mapped[list[str] | None] = mapped_column(JSONType)  # notices they asked not to get (NOTICE_KINDS)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    cooperative: Mapped[Center | None] = relationship(foreign_keys=[cooperative_id])
    center: Mapped[Center | None] = relationship(foreign_keys=[center_id])

    @property
    def registered(self) -> bool:
        return self.consent_at is not None and bool(self.name) and bool(self.district)

    @property
    def locale(self) -> str:
        """The member's stored language, then their LINE profile's, then Thai."""
        if self.language in LANGUAGES:
            return self.language
        profile = (self.profile_language or "").split("-")[0].lower()
        return profile if profile in LANGUAGES else "th"

    def forget(self) -> None:
        """Delete personal data on the member's request; the row stays so past orders keep their totals."""
        self.display_name = self.name = self.phone = self.membership_no = None
        self.district = None
        self.cooperative_id = None
        self.consent_at = None


def normalize_mobile(text: str) -> str | None:
    """A Thai mobile number as ten digits (0812345678), or None when it is not one. Words around it are
    dropped ("เบอร์ 081-234-5678 ครับ"); two numbers in one answer are none."""
    digits = re.sub(r"[^\d+]", "", text)
    if digits.startswith("+66"):
        digits = "0" + digits[3:]
    elif digits.startswith("66") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits if _MOBILE.fullmatch(digits) else None


def member_by_line_id(db: Session, line_user_id: str) -> Member | None:
    return db.scalar(select(Member).where(Member.line_user_id == line_user_id))


def move_to(db: Session, member: Member, district: str | None) -> None:
    """Set the member's district, and with it the district cooperative where they pick up goods."""
    member.district = district or None
    cooperative = district_cooperative(db, district) if district else None
    member.cooperative_id = cooperative.id if cooperative else None


def coordinators_of(db: Session, center_id: int) -> list[Member]:
    """The coordinators of a center who can be reached in LINE."""
    return list(db.scalars(select(Member).where(
        Member.center_id == center_id, Member.role == "coordinator", Member.active.is_(True),
        Member.line_user_id.startswith("U")).order_by(Member.id)))


def wants(member: Member, kind: str) -> bool:
    """Whether the member still wants notices of this kind (they have not muted it)."""
    return kind not in (member.muted or ())


def mute(member: Member, kind: str, muted: bool) -> None:
    """Stop (or resume) a kind of notice for the member; a new list, so that the JSON column sees the change."""
    kept = set(member.muted or ()) - {kind}
    member.muted = [k for k in NOTICE_KINDS if k in kept or (muted and k == kind)] or None


class RoleError(ValueError):
    """A role that cannot be given; `reason` is unknown_role, needs_center or own_admin."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def set_role(member: Member, role: str, center: Center | None, by: Member | None = None) -> None:
    """Make a member a coordinator of a center, an admin or a member again (chat's "coopbot members role", the
    console's roles). A coordinator needs a center; only a coordinator keeps one; an admin never demotes
    themselves (someone must be left to sign in)."""
    if role not in ROLES:
        raise RoleError("unknown_role")
    if role == "coordinator" and center is None:
        raise RoleError("needs_center")
    if by is not None and by.id == member.id and by.role == "admin" and role != "admin":
        raise RoleError("own_admin")
    member.role = role
    member.center_id = center.id if center is not None and role == "coordinator" else None


def serves(center: Center) -> ColumnElement[bool]:
    """The members a center serves: everyone for a province-wide center (a federation or a feed brand's), the
    members of its district for a district cooperative, its own members for a sub-district one."""
    if center.brand is None and center.level == "district":
        return or_(Member.district == center.district, Member.cooperative_id == center.id)
    if center.brand is None and center.level == "subdistrict":
        return Member.cooperative_id == center.id
    return true()


def search(db: Session, words: str, *where: ColumnElement[bool], limit: int = 50) -> list[Member]:
    """Members whose name, LINE name, mobile, district or membership number holds every word typed (a mobile
    typed with dashes or +66 still finds it), of those `where` allows, newest first."""
    query = select(Member).where(*where)
    for word in words.split():
        like = f"%{word}%"
        mobile = normalize_mobile(word)
        digits = "".join(ch for ch in word if ch.isdigit())
        query = query.where(or_(
            Member.name.ilike(like), Member.display_name.ilike(like), Member.district.ilike(like),
            Member.membership_no.ilike(like), Member.phone.ilike(f"%{mobile or digits or word}%"),
        ))
    return list(db.scalars(query.order_by(Member.id.desc()).limit(limit)))


def runs(db: Session, member: Member | None, center_id: int) -> bool:
    """Whether the member runs this center's things: an admin anywhere, a coordinator at their center and the
    centers under it."""
    if member is None or member.role not in ("admin", "coordinator"):
        return False
    return member.role == "admin" or (member.center_id is not None and
                                      center_id in center_and_below(db, member.center_id))
