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
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import connections, router
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from accounts.models import GROUP_ROLES, Role, User
from lib.errors import SikubeError
from lib.regioncode import is_within, within_q
from lib.statements import Loader, sql

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
    DTSEN = "dtsen"          # members against DTSEN: extracts matched, records by hand, duplicate people
    APPROVAL = "approval"    # the reporting chain: submit, verify, approve, accept, return, reopen requests


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
    # The district office matches its members against DTSEN and resolves duplicate people (it sees
    # NIK in full); provinces and the ministry read the counts only.
    Kind.DTSEN: frozenset({Role.ADMIN, Role.KABUPATEN}),
    # Everyone who acts at a level of the reporting chain (CHAIN_ACTORS says which level); the
    # administrator reads it but signs nothing, so a signature is always its level's own.
    Kind.APPROVAL: frozenset({Role.PUSAT, Role.PROVINSI, Role.KABUPATEN, Role.PENDAMPING, Role.PENGURUS}),
}

# The write kind of every write operation of the API, declared once: the role is checked against it
# before the body is read, the object looked up or an Idempotency-Key recorded
# (api.middleware.WriteRoleMiddleware), so a role that writes none of the kinds gets 403 whatever
# it sends, without the database's write lock. Several kinds: the role must write one of them (the
# operation decides further, e.g. an evaluation of a visit or of an event). The operation itself
# still asks access_kube/access_child with its kind; tests/test_write_kinds.py holds this table
# equal to the OpenAPI document's write operations.
OPERATION_KINDS: dict[str, tuple[Kind, ...]] = {
    "POST /api/v1/accounts": (Kind.SYSTEM,),
    "PUT /api/v1/assessments/{assessment_id}": (Kind.ASSESSMENT,),
    "PUT /api/v1/assessments/{assessment_id}/priorities": (Kind.ASSESSMENT,),
    "POST /api/v1/assessments/{assessment_id}/rtl": (Kind.ASSESSMENT,),
    "PUT /api/v1/assessments/{assessment_id}/scores": (Kind.ASSESSMENT,),
    "POST /api/v1/evaluations": (Kind.VISIT, Kind.BOOKS, Kind.EVENT),
    "POST /api/v1/events": (Kind.EVENT,),
    "POST /api/v1/follow-ups/{follow_up_id}/close": (Kind.VISIT, Kind.BOOKS),
    "POST /api/v1/grants/{grant_id}/onward-transfers": (Kind.BOOKS,),
    "PUT /api/v1/grants/{grant_id}/plan": (Kind.GRANT,),
    "POST /api/v1/grants/{grant_id}/spends": (Kind.BOOKS,),
    "POST /api/v1/groups": (Kind.KUBE,),
    "PUT /api/v1/groups/{kube_id}": (Kind.KUBE,),
    "POST /api/v1/groups/{kube_id}/agenda": (Kind.BOOKS,),
    "POST /api/v1/groups/{kube_id}/assessments": (Kind.ASSESSMENT,),
    "POST /api/v1/groups/{kube_id}/class/checks": (Kind.STAGE,),
    "POST /api/v1/groups/{kube_id}/closes": (Kind.BOOKS,),
    "POST /api/v1/groups/{kube_id}/grants": (Kind.GRANT,),
    "POST /api/v1/groups/{kube_id}/guests": (Kind.BOOKS,),
    "PUT /api/v1/groups/{kube_id}/iks": (Kind.BOOKS,),
    "POST /api/v1/groups/{kube_id}/iks/allocations": (Kind.BOOKS,),
    "POST /api/v1/groups/{kube_id}/iks/uses": (Kind.BOOKS,),
    "POST /api/v1/groups/{kube_id}/inventory": (Kind.BOOKS,),
    "POST /api/v1/groups/{kube_id}/inventory/{item_id}/events": (Kind.BOOKS,),
    "POST /api/v1/groups/{kube_id}/loans": (Kind.BOOKS,),
    "POST /api/v1/groups/{kube_id}/members": (Kind.MEMBER,),
    "PUT /api/v1/groups/{kube_id}/officers": (Kind.MEMBER,),
    "POST /api/v1/groups/{kube_id}/pendamping": (Kind.KUBE,),
    "POST /api/v1/groups/{kube_id}/rules": (Kind.BOOKS,),
    "POST /api/v1/groups/{kube_id}/savings": (Kind.BOOKS,),
    "POST /api/v1/groups/{kube_id}/savings/meeting": (Kind.BOOKS,),
    "POST /api/v1/groups/{kube_id}/share-outs": (Kind.BOOKS,),
    "POST /api/v1/groups/{kube_id}/share-outs/decision": (Kind.BOOKS,),
    "POST /api/v1/groups/{kube_id}/share-outs/posting": (Kind.BOOKS,),
    "POST /api/v1/groups/{kube_id}/share-rules": (Kind.BOOKS,),
    "POST /api/v1/groups/{kube_id}/stage/checks": (Kind.STAGE,),
    "POST /api/v1/groups/{kube_id}/stage/correction": (Kind.KUBE,),
    "POST /api/v1/groups/{kube_id}/stage/promote": (Kind.STAGE,),
    "POST /api/v1/groups/{kube_id}/status": (Kind.KUBE,),
    "POST /api/v1/groups/{kube_id}/transactions": (Kind.BOOKS,),
    "POST /api/v1/groups/{kube_id}/work-plan": (Kind.BOOKS,),
    "POST /api/v1/groups/{kube_id}/year-closes": (Kind.BOOKS,),
    "PUT /api/v1/groups/{kube_id}/work-plan/{item_id}": (Kind.BOOKS,),
    "POST /api/v1/dtsen/duplicates/scan": (Kind.DTSEN,),
    "POST /api/v1/dtsen/duplicates/{pair_id}/resolve": (Kind.DTSEN,),
    "POST /api/v1/dtsen/extracts": (Kind.DTSEN,),
    "POST /api/v1/dtsen/extracts/{extract_id}/apply": (Kind.DTSEN,),
    "POST /api/v1/imports": (Kind.IMPORT,),
    "POST /api/v1/instrument-versions/{version_id}/retire": (Kind.SYSTEM,),
    "POST /api/v1/instruments/{instrument_id}/versions": (Kind.SYSTEM,),
    "POST /api/v1/loans/{loan_id}/repayments": (Kind.BOOKS,),
    "PUT /api/v1/members/{member_id}": (Kind.MEMBER,),
    "POST /api/v1/members/{member_id}/account": (Kind.PERSONAL,),
    "POST /api/v1/members/{member_id}/dtsen": (Kind.DTSEN,),
    "POST /api/v1/members/{member_id}/leave": (Kind.MEMBER,),
    "POST /api/v1/mentors/{mentor_id}/assignments": (Kind.KUBE,),
    "POST /api/v1/programmes": (Kind.SYSTEM,),
    "PUT /api/v1/programmes/{programme_id}": (Kind.SYSTEM,),
    "PUT /api/v1/rtl/{action_id}/activity": (Kind.ASSESSMENT,),
    "POST /api/v1/rtl/{action_id}/status": (Kind.ASSESSMENT, Kind.BOOKS),
    "POST /api/v1/rtl/{action_id}/work-plan": (Kind.ASSESSMENT,),
    "POST /api/v1/transactions/{txn_id}/reverse": (Kind.BOOKS,),
    "POST /api/v1/users": (Kind.USER,),
    "PUT /api/v1/users/{user_id}": (Kind.USER,),
    "POST /api/v1/users/{user_id}/password": (Kind.USER,),
    "POST /api/v1/visits": (Kind.VISIT,),
    "POST /api/v1/visits/{visit_id}/photos": (Kind.VISIT,),
    # The reporting chain (approval/api.py): the level's role is checked by the services.
    "POST /api/v1/groups/{kube_id}/lpj-approvals": (Kind.APPROVAL,),
    "POST /api/v1/groups/{kube_id}/reopen": (Kind.APPROVAL,),
    "POST /api/v1/approval/bulk-approve": (Kind.APPROVAL,),
    "POST /api/v1/lpj-approvals/{lpj_id}/verify": (Kind.APPROVAL,),
    "POST /api/v1/lpj-approvals/{lpj_id}/check": (Kind.APPROVAL,),
    "POST /api/v1/lpj-approvals/{lpj_id}/approve": (Kind.APPROVAL,),
    "POST /api/v1/lpj-approvals/{lpj_id}/return": (Kind.APPROVAL,),
    "POST /api/v1/lpj-approvals/{lpj_id}/unapprove": (Kind.APPROVAL,),
    "POST /api/v1/lpj-approvals/{lpj_id}/reopen-requests": (Kind.APPROVAL,),
    "POST /api/v1/reopen-requests/{request_id}/decision": (Kind.APPROVAL,),
    "POST /api/v1/region-reports": (Kind.APPROVAL,),
    "POST /api/v1/region-reports/{report_id}/accept": (Kind.APPROVAL,),
    "POST /api/v1/region-reports/{report_id}/return": (Kind.APPROVAL,),
    "POST /api/v1/region-reports/{report_id}/unapprove": (Kind.APPROVAL,),
}
# Writes any signed-in user makes of their own (their sign-in, tokens and password), and a read sent
# as POST so a NIK stays out of URLs: no write kind.
OWN_OPERATIONS: frozenset[str] = frozenset({
    "POST /api/v1/auth/token", "POST /api/v1/auth/password", "POST /api/v1/auth/tokens/{token_id}/revoke",
    "POST /api/v1/members/search",
})


def operation_kinds(operation: str) -> tuple[Kind, ...] | None:
    """The write kinds of an API operation ("POST /api/v1/groups/{kube_id}/loans"); None for one
    without (its own account, a read sent as POST, an unknown path: the API answers those)."""
    return OPERATION_KINDS.get(operation)


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
    Kind.DTSEN: frozenset({Role.ADMIN, Role.PUSAT, Role.PROVINSI, Role.KABUPATEN}),
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


WriteKinds = Kind | tuple[Kind, ...]


def _kinds(write: WriteKinds | None) -> tuple[Kind, ...]:
    if write is None:
        return ()
    return (write,) if isinstance(write, Kind) else tuple(write)


def can_write_any(user: User | AnonymousUser, write: WriteKinds) -> bool:
    """Whether the role writes at least one of these kinds (a follow-up is closed by its mentor or
    by the group's officers)."""
    return any(can_write(user, kind) for kind in _kinds(write))


def check_role(user: User | AnonymousUser, write: WriteKinds | None) -> None:
    """403 for a role that writes none of these kinds (404 where the role may not even see the kind:
    users, programmes, the import). It runs before any object is looked up, so the answer is the
    same for every id (a role that may not write learns nothing from it) and the same on a page and
    in the API (api.middleware.WriteRoleMiddleware asks it before the body is read)."""
    if write is None or can_write_any(user, write):
        return
    kinds = _kinds(write)
    if not any(can_read_kind(user, kind) for kind in kinds):
        refused(user, f"write {'/'.join(kinds)}")
        raise Http404
    raise PermissionDenied


def access_kube(user: User | AnonymousUser, kube_id: Any, *, write: Kind | None = None,
                for_update: bool = False, related: bool = True) -> Kube:
    """The group with this id if the user may see it; with `write`, only if they may change
    that kind of thing about it (the role first: 403 whatever the id). `for_update` locks the row
    (inside a transaction). `related=False` reads the group's row alone, for a write that needs
    none of its desa, programme and mentor (a posting): one plain statement, the reach decided
    by `reaches` on the row (`_kube_row`)."""
    check_role(user, write)
    if not related and not for_update:
        found = _kube_row(user, as_id(kube_id))
        if found is None:
            refused(user, "kube (not found or outside reach)", kube_id)
            raise Http404
        return found
    qs = kubes_for_user(user)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    if related:
        qs = qs.select_related("desa", "programme", "pendamping")
    try:
        kube = qs.get(pk=as_id(kube_id))
    except qs.model.DoesNotExist:
        refused(user, "kube (not found or outside reach)", kube_id)
        raise Http404 from None
    return kube


def reaches(user: User | AnonymousUser, kube: Kube, *, is_member: bool) -> bool:
    """`kubes_for_user` for one group already read: whether `user` reaches it (`is_member`: the user
    is a current member of it, which only the group roles' reach asks). The same rule, row by row;
    accounts/tests/test_reach.py holds the two equal for every role."""
    if not _active(user):
        return False
    assert isinstance(user, User)
    root = region_root(user)
    if root is not None:
        return is_within(kube.desa_id, root)
    if user.role == Role.PENDAMPING:
        return kube.pendamping_id == user.pk
    if user.role in GROUP_ROLES:
        return is_member
    return False


@cache
def _kube_statement() -> tuple[Loader[Kube], str]:
    """The group's row and whether the user is one of its current members, in one statement built
    once (lib/statements.py): the ORM's join for a group role's reach cost more Python than all of
    a posting's other reads (bench/RESULTS.md, 2026-12-02)."""
    from registry.models import Kube, Member

    rows = Loader(Kube)
    member = sql("EXISTS (SELECT 1 FROM {m} WHERE {m.kube} = {k}.{k.id} AND {m.user} = %s AND {m.left_on} IS NULL)",
                 m=Member, k=Kube)
    return rows, f"SELECT {rows.columns()}, {member} " + sql("FROM {k} WHERE {k.id} = %s", k=Kube)


def _kube_row(user: User | AnonymousUser, pk: int) -> Kube | None:
    """The group `pk` if the user reaches it, read in one plain statement."""
    from registry.models import Kube

    if not _active(user):
        return None
    rows, statement = _kube_statement()
    db = connections[router.db_for_read(Kube)]
    with db.cursor() as cursor:
        cursor.execute(statement, [user.pk, pk])
        row = cursor.fetchone()
    if row is None:
        return None
    kube = rows.load(db, row)
    return kube if reaches(user, kube, is_member=bool(row[-1])) else None


def kube_scope_q(user: User | AnonymousUser, field: str = "kube") -> Q:
    """A filter for rows that belong to groups in reach, for tables keyed by group (`field` is the
    path from the row to its group: "kube", "assessment__kube", "participations__kube")."""
    return Q(**{f"{field}__in": kubes_for_user(user).values("pk")})


def access_child(user: User | AnonymousUser, rows: QuerySet[M] | type[M], ident: Any, *,
                 write: WriteKinds | None = None, via: str = "kube", for_update: bool = False) -> M:
    """One object that belongs to a group (a transaction, fund, loan, visit, plan line, assessment
    session, member, follow-up …), named by id in a path, for reading or, with `write`, for that
    kind of write.

    The role is checked first (403 whatever the id). Then reach: missing and outside reach answer
    alike (404) and the look is logged (`refused`). Reach is the group's (`kubes_for_user`), so the
    rule for dissolved groups holds here too: dissolving ends every membership, and a former member
    no longer sees the group's objects; offices and the mentor still read them, and `may_write`
    says which writes a dissolved group still takes. `via` is the path from the object to its group
    ("kube", "assessment__kube", "visit__kube"); `rows` may narrow the objects further (one group's,
    with `select_related`)."""
    check_role(user, write)
    qs = rows if isinstance(rows, QuerySet) else rows._default_manager.all()
    found = qs.filter(kube_scope_q(user, via))
    if for_update:
        found = found.select_for_update(of=("self",))
    return access_one(user, found, ident)


def access_one(user: User | AnonymousUser, in_reach: QuerySet[M], ident: Any) -> M:
    """One object of `in_reach`, the user's reach of some kind of object already (an office's
    assistance events, its mentors, its region reports; a group's objects through `access_child`),
    named by id in a path or a body: missing and outside reach answer alike (404), and the look is
    logged (`refused`)."""
    what = in_reach.model._meta.model_name
    try:
        pk = as_id(ident)
    except Http404:
        refused(user, f"{what} (not an id)", ident)
        raise
    obj = in_reach.filter(pk=pk).first()
    if obj is None:
        refused(user, f"{what} (not found or outside reach)", ident)
        raise Http404
    return obj


# What a dissolved group still takes. Dissolving ends every membership and office
# (registry.services.kube_status_change); its books, visits, stage, PEKA and members are closed and
# read only, while offices may still correct its record and its grants' paperwork.
DISSOLVED = "bubar"  # registry.choices.Status.BUBAR (the registry sits above this module)
CLOSED_WHEN_DISSOLVED: frozenset[Kind] = frozenset({Kind.BOOKS, Kind.VISIT, Kind.STAGE, Kind.ASSESSMENT,
                                                    Kind.MEMBER})


def may_write(user: User | AnonymousUser, kube: Kube, kind: Kind) -> bool:
    """Whether the page offers this kind of write on this group (in reach already): the role writes
    it and the group is not dissolved where dissolving closes it. The services refuse the same."""
    return can_write(user, kind) and not (kube.status == DISSOLVED and kind in CLOSED_WHEN_DISSOLVED)


def members_for_user(user: User | AnonymousUser) -> QuerySet[Member]:
    from registry.models import Member

    return Member.objects.filter(kube_scope_q(user))


def access_member(user: User | AnonymousUser, member_id: Any, *, write: bool = False) -> Member:
    from registry.models import Member

    return access_child(user, Member.objects.select_related("kube", "kube__desa"), member_id,
                        write=Kind.MEMBER if write else None)


def region_in_reach(user: User | AnonymousUser, code: str) -> bool:
    """Whether region `code` lies inside the user's area (a province or kabupaten office's region,
    the nation for admin and pusat; nothing for the others). The one test of it: dashboards, the
    regions named in a body, a mentor's home region."""
    root = region_root(user)
    return root is not None and is_within(code, root)


def access_region(user: User | AnonymousUser, code: str) -> str:
    """A region the user may look at (dashboards, reports): their root or anything under it."""
    if not region_in_reach(user, code):
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


def same_group(user: User | AnonymousUser, obj: Any, kube_id: int | None, *, field: str, label: str,
               error: type[SikubeError]) -> None:
    """For services handed an object: it must belong to the group the write is about (a member,
    fund, plan line, follow-up or activity of another group is refused like a missing one, 404,
    and the look is logged). Services check it whoever called them: page, API or import."""
    if obj is not None and getattr(obj, "kube_id", None) != kube_id:
        refused(user, f"{field} of another group", getattr(obj, "pk", None))
        raise not_in_reach(error, field=field, label=label, ident=getattr(obj, "pk", None))


def check_region_in_reach(user: User | AnonymousUser | None, code: str, *, label: str, field: str,
                          error: type[SikubeError]) -> None:
    """A region named in a write (a group's desa, an event's kabupaten, a kecamatan to assign) must be
    in the user's reach; outside it the write is refused with 404 like a missing object. The
    region-scoped services call it themselves, so page, API and import refuse alike. `user` None is
    the system itself (the demo loader, test fixtures), which has no reach to keep."""
    from django.utils.translation import gettext as _

    if user is None:
        return
    if not region_in_reach(user, code):
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

    own = (mentor.role == Role.PENDAMPING and mentor.is_active
           and (region_root(actor) == "" if mentor.region_id is None else region_in_reach(actor, mentor.region_id)))
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


# --- offices' views of their mentors -----------------------------------------------------------


def require_office(user: User | AnonymousUser) -> str:
    """The root of an office's (or the nation's) area, for the pages only offices have (the mentors
    overview, mentor assignment). Anyone else gets 404, on the page and in the API alike: for them
    the page does not exist."""
    root = region_root(user)
    if root is None:
        refused(user, "office page")
        raise Http404
    return root


def access_mentor_workspace(user: User | AnonymousUser, mentor_id: Any | None) -> tuple[User, QuerySet[Kube]]:
    """Whose workspace the user may open, and its groups (those in the user's reach).

    A mentor opens their own (`mentor_id` None or their id). An office, and admin and pusat, open the
    workspace of a mentor they employ (home region in their area, `mentors_for_user`: also one who
    holds no group yet) or of one who mentors a group in their reach. Everyone else, and any other
    mentor, gets 404 with a logged refusal, page and API alike."""
    if not _active(user):
        raise Http404
    assert isinstance(user, User)
    if mentor_id is None or (user.role == Role.PENDAMPING and as_id(mentor_id) == user.pk):
        if user.role != Role.PENDAMPING:
            refused(user, "workspace (not a mentor)")
            raise Http404
        return user, kubes_for_user(user)
    pk = as_id(mentor_id)
    groups = kubes_for_user(user).filter(pendamping_id=pk)
    mentor = None
    if region_root(user) is not None:
        mentor = (User.objects.filter(pk=pk, role=Role.PENDAMPING)
                  .filter(Q(pk__in=mentors_for_user(user).values("pk")) | Q(pk__in=groups.values("pendamping")))
                  .first())
    if mentor is None:
        refused(user, "mentor workspace (not found or outside reach)", mentor_id)
        raise Http404
    return mentor, groups


# --- the reporting chain (approval) -------------------------------------------------------------
#
# Each level of the chain is acted on by one role: the officers submit a group's LPJ, its mentor
# verifies it, the district office checks it for the kecamatan (where the province's chain has that
# level; SIKUBE has no kecamatan account yet) and approves it; a province accepts or returns its
# kabupaten's reports and submits its own, which the ministry accepts. Reach stays the group's
# (access_kube) or the region's: a level outside its reach gets 404, a role at the wrong level 403.

CHAIN_ACTORS: dict[str, frozenset[str]] = {
    "pengurus": frozenset({Role.PENGURUS}),
    "pendamping": frozenset({Role.PENDAMPING}),
    "kecamatan": frozenset({Role.KABUPATEN}),
    "kabupaten": frozenset({Role.KABUPATEN}),
    "provinsi": frozenset({Role.PROVINSI}),
    "pusat": frozenset({Role.PUSAT}),
}


def acts_at(user: User | AnonymousUser, level: str) -> bool:
    """Whether the user's role acts at this level of the chain (in reach or not)."""
    return role_of(user) in CHAIN_ACTORS.get(level, frozenset())


def check_chain_level(user: User | AnonymousUser, level: str) -> None:
    """403 for a role that does not act at this level (a mentor approving, a province approving a
    group's LPJ), asked after the object was found in reach."""
    if not acts_at(user, level):
        raise PermissionDenied


def report_office_level(user: User | AnonymousUser, region_code: str) -> str | None:
    """The level at which the user acts on the period report of `region_code` (a kabupaten/kota or a
    province): "submit" for the region's own office, "accept" for the office above it; None for
    anyone else. Reach first: a region outside it is 404 (like a missing one)."""
    access_region(user, region_code)
    root = region_root(user)
    role = role_of(user)
    if root == region_code and role in (Role.KABUPATEN, Role.PROVINSI):
        return "submit"
    parent = region_code[:2] if len(region_code) == 5 else ""
    if len(region_code) in (2, 5) and root == parent and role in (Role.PROVINSI, Role.PUSAT):
        return "accept"
    return None


def check_report_office(user: User | AnonymousUser, region_code: str, want: str) -> None:
    """404 outside reach, 403 for an office in reach that does not `want` ("submit"/"accept") here."""
    if report_office_level(user, region_code) != want:
        raise PermissionDenied


def reports_region_q(user: User | AnonymousUser, field: str = "region_id") -> Q:
    """Reports a user sees: those of regions in their reach (offices); nothing for the others."""
    root = region_root(user)
    if root is None:
        return Q(pk__in=[])
    return within_q(field, root) if root else Q()
