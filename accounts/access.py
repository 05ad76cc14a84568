"""Reach and rights: the one place that decides what a user may see and change.

Every page, API endpoint and export asks these functions; nothing else filters by
role. Two answers only:

- outside a user's reach an object does not exist: `Http404`, exactly as for a
  missing id, so an id probe tells nothing;
- inside the reach, reading is allowed, and changing needs the role to be a
  writer of that kind of object (`WRITERS`); otherwise `PermissionDenied` (403).

The table below is the policy. README.md ("Peran dan jangkauan") restates it for
people; tests/test_permission_matrix.py checks every cell on pages and API.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from accounts.models import GROUP_ROLES, Role, User
from lib.errors import SikubeError
from lib.regioncode import is_within, within_q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from registry.models import Kube, Member


class Kind(StrEnum):
    """The kinds of object a right is given for."""

    KUBE = "kube"            # the group's record: register, edit, stage, status, mentor
    MEMBER = "member"        # members and officers (Buku Keanggotaan, Daftar Pengurus)
    PERSONAL = "personal"    # unmasked NIK, No. KK and phone; their export
    BOOKS = "books"          # the group's books: ledger entries, IKS, savings, loans, registers, month close
    GRANT = "grant"          # stimulant grants and their plan (RAB)
    VISIT = "visit"          # mentoring visits, their audits, follow-ups and photos
    EVENT = "event"          # assistance events (asistensi) organised by an office
    STAGE = "stage"          # the stage checklist and promotion
    ASSESSMENT = "assessment"  # capacity assessment (PEKA) sessions, scores, priorities and the RTL
    USER = "user"            # accounts
    SYSTEM = "system"        # programmes, the chart of accounts
    AUDIT = "audit"          # the audit trail
    IMPORT = "import"        # Excel import of groups with members


WRITERS: dict[Kind, frozenset[str]] = {
    Kind.KUBE: frozenset({Role.ADMIN, Role.KABUPATEN}),
    Kind.MEMBER: frozenset({Role.ADMIN, Role.KABUPATEN, Role.PENDAMPING}),
    Kind.PERSONAL: frozenset({Role.ADMIN, Role.KABUPATEN}),
    # The books belong to the group: its officers keep them; offices and mentors read and audit.
    Kind.BOOKS: frozenset({Role.PENGURUS}),
    Kind.GRANT: frozenset({Role.ADMIN, Role.PROVINSI, Role.KABUPATEN}),
    Kind.VISIT: frozenset({Role.PENDAMPING}),
    Kind.EVENT: frozenset({Role.ADMIN, Role.PROVINSI, Role.KABUPATEN}),
    Kind.STAGE: frozenset({Role.ADMIN, Role.KABUPATEN, Role.PENDAMPING}),
    # The mentor facilitates the group's self-assessment; the district office may run one too.
    Kind.ASSESSMENT: frozenset({Role.ADMIN, Role.KABUPATEN, Role.PENDAMPING}),
    Kind.USER: frozenset({Role.ADMIN}),
    Kind.SYSTEM: frozenset({Role.ADMIN}),
    Kind.AUDIT: frozenset(),
    Kind.IMPORT: frozenset({Role.ADMIN, Role.PROVINSI, Role.KABUPATEN}),
}

# Who reads unmasked personal data of the groups in their reach: the office that
# registers and verifies members, and the mentor who meets them. Provincial and
# national offices work with figures, group members with their own record only.
PERSONAL_READERS: frozenset[str] = frozenset({Role.ADMIN, Role.KABUPATEN, Role.PENDAMPING})
# Kinds only some roles can even see.
RESTRICTED_READERS: dict[Kind, frozenset[str]] = {
    Kind.USER: frozenset({Role.ADMIN}),
    Kind.SYSTEM: frozenset({Role.ADMIN}),
    Kind.AUDIT: frozenset({Role.ADMIN}),
    Kind.IMPORT: WRITERS[Kind.IMPORT],
}

M = TypeVar("M", bound=Model)

NATIONAL_ROLES: frozenset[str] = frozenset({Role.ADMIN, Role.PUSAT})


def _active(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def role_of(user: User | AnonymousUser) -> str:
    """The role of an active signed-in user; "" for anyone else."""
    return user.role if isinstance(user, User) and user.is_active else ""


def region_root(user: User | AnonymousUser) -> str | None:
    """The region code a user's reach is rooted at: "" for the nation, None for none."""
    if not _active(user):
        return None
    assert isinstance(user, User)
    if user.role in NATIONAL_ROLES:
        return ""
    if user.role in (Role.PROVINSI, Role.KABUPATEN) and user.region_id:
        return user.region_id
    return None


def kubes_for_user(user: User | AnonymousUser) -> QuerySet[Kube]:
    """Every group in the user's reach (a lazy queryset: filter and paginate it)."""
    from registry.models import Kube

    if not _active(user):
        return Kube.objects.none()
    assert isinstance(user, User)
    root = region_root(user)
    if root is not None:
        return Kube.objects.filter(within_q("desa_id", root))
    if user.role == Role.PENDAMPING:
        return Kube.objects.filter(pendamping=user)
    if user.role in GROUP_ROLES:
        return Kube.objects.filter(
            members__user=user, members__left_on__isnull=True
        )
    return Kube.objects.none()


def can_read_kind(user: User | AnonymousUser, kind: Kind) -> bool:
    if not _active(user):
        return False
    readers = RESTRICTED_READERS.get(kind)
    return readers is None or role_of(user) in readers


def can_write(user: User | AnonymousUser, kind: Kind) -> bool:
    return _active(user) and role_of(user) in WRITERS[kind]


security_log = logging.getLogger("sikube.security")


def refused(user: User | AnonymousUser, what: str, ident: Any = "") -> None:
    """Log a look outside reach: who (user id and role, never a name), what (kind of object and
    its id), when (the log line's time). Outside reach answers 404 like a missing object, so this
    is where someone probing ids shows. Refused writes (403) are logged by
    lib.middleware.RefusalLogMiddleware, whatever raised them."""
    security_log.warning("refused user=%s role=%s what=%s id=%s", getattr(user, "pk", None) or "-",
                         role_of(user) or "-", what, str(ident)[:40])


def require(user: User | AnonymousUser, kind: Kind, *, write: bool = False) -> None:
    """For pages that are not about one group (user admin, audit, import)."""
    if not can_read_kind(user, kind):
        refused(user, f"read {kind.value}")
        raise Http404
    if write and not can_write(user, kind):
        raise PermissionDenied


def as_id(value: Any) -> int:
    """A primary key from a URL or payload; anything else (or out of range) is "not found"."""
    try:
        number = int(value)
    except (ValueError, TypeError):
        raise Http404 from None
    if not 0 < number < 2**63:
        raise Http404
    return number


def access_kube(user: User | AnonymousUser, kube_id: Any, *, write: Kind | None = None,
                for_update: bool = False) -> Kube:
    """The group with this id if the user may see it; with `write`, only if they may change
    that kind of thing about it. `for_update` locks the row (inside a transaction)."""
    qs = kubes_for_user(user)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    try:
        kube = qs.select_related("desa", "programme", "pendamping").get(pk=as_id(kube_id))
    except qs.model.DoesNotExist:
        refused(user, "kube (not found or outside reach)", kube_id)
        raise Http404 from None
    if write is not None and not can_write(user, write):
        raise PermissionDenied
    return kube


def members_for_user(user: User | AnonymousUser) -> QuerySet[Member]:
    from registry.models import Member

    return Member.objects.filter(kube__in=kubes_for_user(user).values("pk"))


def access_member(user: User | AnonymousUser, member_id: Any, *, write: bool = False) -> Member:
    from registry.models import Member

    try:
        member = members_for_user(user).select_related("kube", "kube__desa").get(pk=as_id(member_id))
    except Member.DoesNotExist:
        refused(user, "member (not found or outside reach)", member_id)
        raise Http404 from None
    if write and not can_write(user, Kind.MEMBER):
        raise PermissionDenied
    return member


def access_region(user: User | AnonymousUser, code: str) -> str:
    """A region the user may look at (dashboards, reports): their root or anything under it."""
    root = region_root(user)
    if root is None or not is_within(code, root):
        refused(user, "region outside reach", code)
        raise Http404
    return code


def sees_personal_data(user: User | AnonymousUser, member: Member | None = None) -> bool:
    """Whether NIK, No. KK and phone are shown unmasked.

    Callers pass only members already in reach. A group member always sees their own.
    """
    if not _active(user):
        return False
    if role_of(user) in PERSONAL_READERS:
        return True
    return member is not None and member.user_id is not None and member.user_id == user.pk


def kube_scope_q(user: User | AnonymousUser, field: str = "kube") -> Q:
    """A filter for rows that belong to groups in reach, for tables keyed by group."""
    return Q(**{f"{field}__in": kubes_for_user(user).values("pk")})


# --- objects named in a request's body ------------------------------------------------------
#
# A body names objects too: a loan's borrower, the members present, a fund, a plan line, a
# mentor, the groups of an event. Each goes through the same rule as an id in the path: it must
# be in the user's reach and, where the write is about one group, belong to that group. Missing,
# of another group and outside reach give one answer (404, `not_found`), naming the field, so the
# user knows what to fix and a probe learns nothing.


def not_in_reach(error: type[SikubeError], *, field: str, label: str, ident: Any = None) -> SikubeError:
    """The refusal for a body reference that is missing, of another group or outside reach."""
    from django.utils.translation import gettext as _

    if ident is None or ident == "":
        message = _("%(what)s yang dipilih tidak ditemukan. Pilih dari daftar yang ada.") % {"what": label}
    else:
        message = _("%(what)s dengan id %(id)s tidak ditemukan. Pilih dari daftar yang ada.") % {
            "what": label, "id": str(ident)[:40]}
    exc = error(message, code="not_found", field=field)
    exc.status = 404
    return exc


def body_ref(user: User | AnonymousUser, qs: QuerySet[M], ident: Any, *, field: str, label: str,
             error: type[SikubeError]) -> M:
    """The object with id `ident` among `qs` (a queryset already scoped to the group or the reach),
    or the same refusal as for a missing one."""
    try:
        pk = as_id(ident)
    except Http404:
        pk = None
    obj = qs.filter(pk=pk).first() if pk is not None else None
    if obj is None:
        refused(user, f"{field} in body (not found or outside reach)", ident)
        raise not_in_reach(error, field=field, label=label, ident=ident)
    return obj


def body_refs(user: User | AnonymousUser, qs: QuerySet[M], idents: list[Any], *, field: str,
              label: str, error: type[SikubeError]) -> list[M]:
    """Several ids among `qs`, in the order given (duplicates kept once); the first one that is not
    there refuses the whole list."""
    wanted = list(dict.fromkeys(idents))
    pks = []
    for ident in wanted:
        try:
            pks.append(as_id(ident))
        except Http404:
            refused(user, f"{field} in body (not an id)", ident)
            raise not_in_reach(error, field=field, label=label, ident=ident) from None
    found = {obj.pk: obj for obj in qs.filter(pk__in=pks)}
    for pk in pks:
        if pk not in found:
            refused(user, f"{field} in body (not found or outside reach)", pk)
            raise not_in_reach(error, field=field, label=label, ident=pk)
    return [found[pk] for pk in pks]


def same_group(obj: Any, kube_id: int | None, *, field: str, label: str, error: type[SikubeError]) -> None:
    """For services handed an object: it must belong to the group the write is about (a member,
    fund, plan line, follow-up or activity of another group is refused like a missing one)."""
    if obj is not None and getattr(obj, "kube_id", None) != kube_id:
        raise not_in_reach(error, field=field, label=label, ident=getattr(obj, "pk", None))


def check_region_in_reach(user: User | AnonymousUser, code: str, *, label: str, field: str,
                          error: type[SikubeError]) -> None:
    """A region named in a body (a group's desa, an event's kabupaten, a kecamatan to assign) must be
    in the user's reach; outside it the write is refused with 404 like a missing object."""
    from django.utils.translation import gettext as _

    root = region_root(user)
    if root is None or not is_within(code, root):
        refused(user, f"{field} in body (region outside reach)", code)
        exc = error(_("%(region)s di luar wilayah kerja Anda. Pilih wilayah di dalam wilayah kerja Anda.")
                    % {"region": label}, code="not_found", field=field)
        exc.status = 404
        raise exc


# --- mentors --------------------------------------------------------------------------------
#
# A mentor belongs to a region: the office that employs them (User.region, a province or a
# kabupaten/kota). An office assigns only its own mentors (home region within its reach) and only
# to a group inside the mentor's home region; a mentor without a home region is assigned only by
# the administrator. The mentor's own reach stays their assigned groups (kubes_for_user).


def mentors_within(root: str | None) -> QuerySet[User]:
    """The active mentors whose home region lies within `root` ("" the nation, None nothing)."""
    qs = User.objects.filter(role=Role.PENDAMPING, is_active=True)
    if root is None:
        return qs.none()
    if root == "":
        return qs
    return qs.filter(within_q("region_id", root))


def mentors_for_user(user: User | AnonymousUser) -> QuerySet[User]:
    """The mentors an office employs (admin and pusat: every mentor); nobody for other roles."""
    return mentors_within(region_root(user))


def mentor_assign_problem(actor: User | AnonymousUser, mentor: User, *, region_code: str) -> str | None:
    """Why `actor` may not give `mentor` the groups of `region_code` (a desa or kecamatan), or None.

    Outside the actor's reach the mentor is not named (it does not exist for them)."""
    from django.utils.translation import gettext as _

    root = region_root(actor)
    own = (mentor.role == Role.PENDAMPING and mentor.is_active and root is not None
           and ((mentor.region_id is None and root == "")
                or (mentor.region_id is not None and is_within(mentor.region_id, root))))
    if not own:
        refused(actor, "mentor outside reach", mentor.pk)
        return _("Pendamping itu tidak terdaftar di wilayah kerja Anda. Pilih pendamping dari daftar pendamping "
                 "kantor Anda; pendamping dari wilayah lain didaftarkan dulu oleh admin dengan wilayah kerja "
                 "Anda.")
    if mentor.region_id is not None and not is_within(region_code, mentor.region_id):
        return _("Wilayah kerja pendamping %(name)s (%(region)s) tidak mencakup wilayah KUBE ini. Pilih "
                 "pendamping dari wilayah KUBE itu, atau ubah wilayah kerja pendamping di halaman pengguna.") % {
            "name": mentor.full_name, "region": mentor.region.label if mentor.region else mentor.region_id}
    return None


def check_mentor_assignable(actor: User | AnonymousUser, mentor: User | None, *, region_code: str,
                            error: type[SikubeError], field: str = "pendamping") -> None:
    """The service-side check of every mentor assignment (page, API and Excel import alike)."""
    if mentor is None:
        return
    problem = mentor_assign_problem(actor, mentor, region_code=region_code)
    if problem is not None:
        exc = error(problem, code="not_found", field=field)
        exc.status = 404
        raise exc
