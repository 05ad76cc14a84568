"""/api/v1 for the share-out: the rule's versions, the yearly close, the proposal with its working,
the meeting's decision and the posting. Same reach and services as the pages: reads need the group
in reach, writes its officers (Kind.BOOKS, declared in accounts.access.OPERATION_KINDS)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Reply

from accounts.access import Kind, access_kube, body_refs
from api.pagination import ObjectId, Page, PageParams, paginate
from api.types import Codes, Date, Percent100
from registry.models import Kube, Member
from shareout.errors import ShareOutError
from shareout.models import Leavers, Payout, ShareOut, ShareRule, Status, YearClose
from shareout.selectors import share_out_view
from shareout.services import share_out_decide, share_out_post, share_out_propose, share_rule_adopt, year_close

router = Router(tags=["buku: pembagian hasil usaha"])

YearIn = Annotated[int, Field(ge=2000, le=2100, description="Tahun buku, misalnya 2026")]
MemberId = Annotated[int, Field(ge=1, le=2**63 - 1)]
Adjustment = Annotated[int, Field(ge=-(10**13), le=10**13, description="Rupiah, boleh negatif")]


class ShareRuleOut(Schema):
    id: int
    kube: int
    version: int
    rules_version: int
    adopted_on: dt.date
    capital_percent: Decimal
    members_percent: Decimal
    weight_equal: Decimal
    weight_savings: Decimal
    weight_work: Decimal
    leavers: Annotated[str, Codes(Leavers)]
    payout: Annotated[str, Codes(Payout)]
    current: bool


class ShareRuleIn(Schema):
    adopted_on: Date
    capital_percent: Percent100
    members_percent: Percent100
    weight_equal: Percent100 = Decimal(0)
    weight_savings: Percent100 = Decimal(0)
    weight_work: Percent100 = Decimal(0)
    leavers: Annotated[str, Codes(Leavers)] = Leavers.NONE
    payout: Annotated[str, Codes(Payout)] = Payout.SAVINGS


def _rule_out(rule: ShareRule, current: int | None) -> dict[str, Any]:
    return {"id": rule.pk, "kube": rule.kube_id, "version": rule.version, "rules_version": rule.rules.version,
            "adopted_on": rule.adopted_on, "capital_percent": rule.capital_percent,
            "members_percent": rule.members_percent, "weight_equal": rule.weight_equal,
            "weight_savings": rule.weight_savings, "weight_work": rule.weight_work, "leavers": rule.leavers,
            "payout": rule.payout, "current": rule.version == current}


@router.get("/groups/{kube_id}/share-rules", response=Page[ShareRuleOut],
            summary="Aturan pembagian hasil usaha: semua versi, terbaru dahulu")
def list_share_rules(request: HttpRequest, kube_id: ObjectId,
                     pages: PageParams = Query(...)) -> dict[str, Any]:  # noqa: B008
    kube = access_kube(request.user, kube_id)
    current = kube.share_rules.order_by("-version").values_list("version", flat=True).first()
    page = paginate(kube.share_rules.select_related("rules"), pages, order=("-version", "-id"))
    page["items"] = [_rule_out(r, current) for r in page["items"]]
    return page


@router.post("/groups/{kube_id}/share-rules", response={201: ShareRuleOut},
             summary="Sahkan versi baru aturan pembagian hasil usaha")
def adopt_share_rule(request: HttpRequest, kube_id: ObjectId, payload: ShareRuleIn) -> Reply[dict[str, Any]]:
    kube = access_kube(request.user, kube_id, write=Kind.BOOKS)
    rule = share_rule_adopt(actor=request.user, kube=kube, adopted_on=payload.adopted_on,
                            capital_percent=payload.capital_percent, members_percent=payload.members_percent,
                            weight_equal=payload.weight_equal, weight_savings=payload.weight_savings,
                            weight_work=payload.weight_work, leavers=payload.leavers, payout=payload.payout)
    return Reply(201, _rule_out(rule, rule.version))


# --- the yearly close -------------------------------------------------------------------------

class YearCloseOut(Schema):
    kube: int
    year: int
    profit_before_iks: int
    iks_set_aside: int
    profit_after_iks: int
    closed_at: dt.datetime


class YearCloseIn(Schema):
    year: YearIn


def _close_out(c: YearClose) -> dict[str, Any]:
    return {"kube": c.kube_id, "year": c.year, "profit_before_iks": c.profit_before_iks,
            "iks_set_aside": c.iks_set_aside, "profit_after_iks": c.profit_after_iks, "closed_at": c.closed_at}


@router.get("/groups/{kube_id}/year-closes", response=list[YearCloseOut], summary="Tahun buku yang sudah ditutup")
def list_year_closes(request: HttpRequest, kube_id: ObjectId) -> list[dict[str, Any]]:
    kube = access_kube(request.user, kube_id)
    return [_close_out(c) for c in kube.year_closes.order_by("year")]


@router.post("/groups/{kube_id}/year-closes", response={201: YearCloseOut},
             summary="Tutup buku tahunan (semua bulan tahun itu ditutup, laba tahun itu ditetapkan)")
def close_year(request: HttpRequest, kube_id: ObjectId, payload: YearCloseIn) -> Reply[dict[str, Any]]:
    kube = access_kube(request.user, kube_id, write=Kind.BOOKS)
    return Reply(201, _close_out(year_close(actor=request.user, kube=kube, year=payload.year)))


# --- the share-out ------------------------------------------------------------------------------

class ShareLineOut(Schema):
    member: int
    name: str
    months: int
    savings_months: int
    work_days: int
    left: bool
    eligible: bool
    exact: str = Field(..., description="Bagian sebelum dibulatkan, pecahan p/q")
    working: list[str]
    proposed: int
    adjustment: int
    reason: str
    final: int
    payout: Annotated[str, Codes(Payout)]


class ShareOutOut(Schema):
    kube: int
    year: int
    status: Annotated[str, Codes(Status)]
    rule_version: int
    profit: int
    capital_base: int
    members_pool: int
    remainder: int
    capital: int
    members_total: int
    steps: list[str]
    meeting_date: dt.date | None
    attendance: int | None
    members_count: int | None
    decision: str
    receipt: str | None
    posted_on: dt.date | None
    lines: list[ShareLineOut]


class ShareOutIn(Schema):
    year: YearIn


class DecisionLineIn(Schema):
    member: MemberId
    adjustment: Adjustment = 0
    reason: str = Field("", max_length=250)
    payout: Annotated[str, Codes(Payout)] | None = None


class PostingIn(Schema):
    year: YearIn


class DecisionIn(Schema):
    year: YearIn
    meeting_date: Date
    attendance: Annotated[int, Field(ge=1, le=1000, description="Jumlah anggota yang hadir")]
    decision: str = Field(..., min_length=1, max_length=5000)
    lines: list[DecisionLineIn] = Field(default_factory=list, max_length=500)


def _share_out_out(share_out: ShareOut) -> dict[str, Any]:
    view = share_out_view(share_out)
    return {
        "kube": share_out.kube_id, "year": share_out.year, "status": share_out.status,
        "rule_version": share_out.rule.version, "profit": share_out.profit, "capital_base": share_out.capital_base,
        "members_pool": share_out.members_pool, "remainder": share_out.remainder, "capital": share_out.capital,
        "members_total": share_out.members_total, "steps": view.steps, "meeting_date": share_out.meeting_date,
        "attendance": share_out.present, "members_count": share_out.members_count, "decision": share_out.decision,
        "receipt": share_out.transaction.receipt if share_out.transaction else None, "posted_on": share_out.posted_on,
        "lines": [{"member": v.line.member_id, "name": v.name, "months": v.line.months,
                   "savings_months": v.line.savings_months, "work_days": v.line.work_days, "left": v.line.left,
                   "eligible": v.line.eligible, "exact": v.line.exact,
                   "working": [f"{label}: {text}" for label, text in v.parts], "proposed": v.line.proposed,
                   "adjustment": v.line.adjustment, "reason": v.line.reason, "final": v.line.final,
                   "payout": v.line.payout} for v in view.lines],
    }


def _find(kube: Kube, year: int) -> ShareOut:
    found = ShareOut.objects.filter(kube=kube, year=year).select_related("rule", "transaction").first()
    if found is None:  # a year without a share-out is "not found", like any missing id
        missing = ShareOutError(_("Belum ada usulan pembagian hasil usaha tahun %(y)s.") % {"y": year},
                                code="not_found", field="year")
        missing.status = 404
        raise missing
    return found


class ShareOutFilter(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="Tahun buku, misalnya 2026")


@router.get("/groups/{kube_id}/share-outs", response=list[ShareOutOut],
            summary="Pembagian hasil usaha per tahun (terbaru dahulu), dengan cara menghitung tiap anggota")
def list_share_outs(request: HttpRequest, kube_id: ObjectId,
                    filters: ShareOutFilter = Query(...)) -> list[dict[str, Any]]:  # noqa: B008
    kube = access_kube(request.user, kube_id)
    found = kube.share_outs.select_related("rule", "transaction").order_by("-year")
    if filters.year is not None:
        found = found.filter(year=filters.year)
    return [_share_out_out(s) for s in found]


@router.post("/groups/{kube_id}/share-outs", response={201: ShareOutOut},
             summary="Hitung usulan pembagian hasil usaha satu tahun buku yang sudah ditutup")
def propose_share_out(request: HttpRequest, kube_id: ObjectId, payload: ShareOutIn) -> Reply[dict[str, Any]]:
    kube = access_kube(request.user, kube_id, write=Kind.BOOKS)
    return Reply(201, _share_out_out(share_out_propose(actor=request.user, kube=kube, year=payload.year)))


@router.post("/groups/{kube_id}/share-outs/decision", response=ShareOutOut,
             summary="Catat keputusan musyawarah anggota atas usulan satu tahun (penyesuaian dengan alasan)")
def decide_share_out(request: HttpRequest, kube_id: ObjectId, payload: DecisionIn) -> dict[str, Any]:
    kube = access_kube(request.user, kube_id, write=Kind.BOOKS)
    share_out = _find(kube, payload.year)
    # Members named in the body: of this share-out's group, else the answer for a missing id.
    body_refs(request.user, Member.objects.filter(kube=kube), [ln.member for ln in payload.lines],
              field="lines", label=_("Anggota"), error=ShareOutError)
    adjustments = {ln.member: (ln.adjustment, ln.reason) for ln in payload.lines}
    payouts = {ln.member: ln.payout for ln in payload.lines if ln.payout}
    decided = share_out_decide(actor=request.user, share_out=share_out, meeting_date=payload.meeting_date,
                               present=payload.attendance, decision=payload.decision, adjustments=adjustments,
                               payouts=payouts)
    return _share_out_out(decided)


@router.post("/groups/{kube_id}/share-outs/posting", response=ShareOutOut,
             summary="Bukukan pembagian satu tahun yang sudah diputuskan (sekali per tahun buku)")
def post_share_out(request: HttpRequest, kube_id: ObjectId, payload: PostingIn) -> dict[str, Any]:
    kube = access_kube(request.user, kube_id, write=Kind.BOOKS)
    return _share_out_out(share_out_post(actor=request.user, share_out=_find(kube, payload.year)))
