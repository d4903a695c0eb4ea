"""Community pages under /walking/: crews (걷기 모임), rankings (걷기 순위), the district competition.

Crews and rankings are the member's own (citizens only); a crew's page opens only to its
members (another crew's id is a 404). The district competition is public: it shows totals per
자치구 that name nobody, as the city's campaign pages do, so citizens can follow their district.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mileage.accounts import scope
from mileage.accounts.models import District
from mileage.core.charts import bar_chart_svg
from mileage.core.guards import guard

from . import queries
from .errors import CodeMissing, CommunityError
from .models import Crew, Period, TeamChallenge, TeamEntry
from .periods import bounds
from .services import crews, profiles, team

citizen_only = guard(scope.is_citizen)


def _period(request: HttpRequest) -> str:
    return Period.MONTH if request.GET.get("period") == Period.MONTH else Period.WEEK


def _my_crew(request: HttpRequest, crew_id: int) -> Crew:
    crew = crews.crews_of(request.user).filter(pk=crew_id).first()
    if crew is None:
        raise Http404("가입한 모임이 아닙니다.")
    return crew


@citizen_only
def crew_list(request: HttpRequest) -> HttpResponse:
    mine = list(crews.crews_of(request.user))
    return render(
        request,
        "community/crews.html",
        {"crews": mine, "challenges": team.open_challenges()},
    )


def _form_page(
    request: HttpRequest, template: str, *, values: dict[str, str], error: CommunityError | None
) -> HttpResponse:
    errors = {error.field or "form": error.message} if error else {}
    return render(
        request,
        template,
        {
            "values": values,
            "errors": errors,
            "districts": District.objects.all(),
            "profile": profiles.profile_of(request.user),
        },
        status=error.status if error else 200,
    )


def _ensure_nickname(request: HttpRequest, nickname: str) -> None:
    """Crew members see each other by nickname: a member without one gives it here."""
    if profiles.profile_of(request.user) is None:
        profiles.set_nickname(request.user, nickname)


@citizen_only
def crew_new(request: HttpRequest) -> HttpResponse:
    keys = ("name", "description", "district", "nickname")
    values = {k: request.POST.get(k, "").strip() for k in keys}
    if request.method != "POST":
        return _form_page(request, "community/crew_new.html", values=values, error=None)
    district = District.objects.filter(code=values["district"]).first()
    try:
        crews.check_name(values["name"])
        _ensure_nickname(request, values["nickname"])
        crew = crews.create_crew(request.user, values["name"], values["description"], district)
    except CommunityError as exc:
        return _form_page(request, "community/crew_new.html", values=values, error=exc)
    messages.success(
        request, f"‘{crew.name}’ 모임을 만들었습니다. 초대 코드 {crew.code} 를 알려 주세요."
    )
    return redirect("community:crew", crew_id=crew.pk)


@citizen_only
def crew_join(request: HttpRequest) -> HttpResponse:
    values = {k: request.POST.get(k, "").strip() for k in ("code", "nickname")}
    if request.method != "POST":
        values["code"] = request.GET.get("code", "").strip()[:20]
        return _form_page(request, "community/crew_join.html", values=values, error=None)
    try:
        if not values["code"]:
            raise CodeMissing()
        _ensure_nickname(request, values["nickname"])
        crew = crews.join_crew(request.user, values["code"])
    except CommunityError as exc:
        return _form_page(request, "community/crew_join.html", values=values, error=exc)
    messages.success(request, f"‘{crew.name}’ 모임에 가입했습니다.")
    return redirect("community:crew", crew_id=crew.pk)


@citizen_only
def crew_detail(request: HttpRequest, crew_id: int) -> HttpResponse:
    crew = _my_crew(request, crew_id)
    today = timezone.localdate()
    members = list(crews.active(crew).select_related("member__walker_profile"))
    ids = [m.member_id for m in members]
    week, month = bounds(Period.WEEK, today), bounds(Period.MONTH, today)
    week_steps = crews.member_steps(ids, *week)
    month_steps = crews.member_steps(ids, *month)
    rows = sorted(
        ((_nickname(m.member), week_steps[m.member_id], month_steps[m.member_id]) for m in members),
        key=lambda r: (-r[2], r[0]),
    )
    entries = [
        (e, team.progress(e))
        for e in TeamEntry.objects.filter(crew=crew).select_related("challenge")
    ]
    taken = {e.challenge_id for e, _ in entries}
    return render(
        request,
        "community/crew.html",
        {
            "crew": crew,
            "rows": rows,
            "week_total": sum(week_steps.values()),
            "month_total": sum(month_steps.values()),
            "entries": entries,
            "open": [c for c in team.open_challenges(today) if c.pk not in taken],
            "today": today,
        },
    )


def _nickname(user: Any) -> str:
    profile = getattr(user, "walker_profile", None)
    return profile.nickname if profile else "닉네임 없는 회원"


@require_POST
@citizen_only
def crew_leave(request: HttpRequest, crew_id: int) -> HttpResponse:
    crew = crews.leave_crew(request.user, crew_id)
    messages.success(request, f"‘{crew.name}’ 모임에서 탈퇴했습니다.")
    return redirect("community:crews")


@require_POST
@citizen_only
def crew_take(request: HttpRequest, crew_id: int, slug: str) -> HttpResponse:
    crew = _my_crew(request, crew_id)
    challenge = get_object_or_404(TeamChallenge, slug=slug)
    try:
        team.take_challenge(request.user, crew, challenge)
    except CommunityError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"‘{challenge.title}’ 팀 챌린지에 참여했습니다.")
    return redirect("community:crew", crew_id=crew.pk)


@citizen_only
def rankings(request: HttpRequest) -> HttpResponse:
    return _rankings_page(request, values={}, error=None)


def _rankings_page(
    request: HttpRequest, *, values: dict[str, str], error: CommunityError | None
) -> HttpResponse:
    period, today, member = _period(request), timezone.localdate(), request.user
    r = queries.latest_refresh(period, today)
    profile = profiles.profile_of(member)
    context: dict[str, Any] = {
        "period": period,
        "refresh": r,
        "profile": profile,
        "values": values or {"nickname": profile.nickname if profile else ""},
        "errors": {error.field or "nickname": error.message} if error else {},
        "district": member.district,
    }
    if r is not None:
        context.update(
            own=queries.own_rank(r, member),
            seoul=queries.seoul_top(r),
            local=queries.district_top(r, member.district_id) if member.district_id else [],
            local_count=queries.ranked_count(r, member.district_id) if member.district_id else 0,
            crews=queries.crew_top(r),
            districts=list(queries.districts(r)[:5]),
        )
    return render(
        request, "community/rankings.html", context, status=error.status if error else 200
    )


@require_POST
@citizen_only
def ranking_profile(request: HttpRequest) -> HttpResponse:
    """순위에 참여: choose a nickname and opt in (or out: `ranked` absent)."""
    values = {"nickname": request.POST.get("nickname", "").strip()}
    ranked = request.POST.get("ranked") == "1"
    try:
        if ranked or values["nickname"]:
            profiles.set_nickname(request.user, values["nickname"], ranked=ranked)
        else:
            profiles.stop_ranking(request.user)
    except CommunityError as exc:
        return _rankings_page(request, values=values, error=exc)
    messages.success(
        request,
        "순위에 참여합니다. 다음 순위 갱신(30분마다)부터 닉네임으로 보입니다."
        if ranked
        else "순위 참여를 그만두었습니다. 다음 순위 갱신부터 보이지 않습니다.",
    )
    return redirect("community:rankings")


def district_competition(request: HttpRequest) -> HttpResponse:
    """Public: the 25 districts ranked by average steps per walker, with totals and a chart."""
    period, today = _period(request), timezone.localdate()
    r = queries.latest_refresh(period, today)
    rows = list(queries.districts(r)) if r else []
    chart = bar_chart_svg(
        [(d.name, d.steps_per_walker) for d in rows],
        title="자치구별 1인당 걸음 수",
        unit="보",
        css_class="walk-chart",
    )
    return render(
        request,
        "community/districts.html",
        {"period": period, "refresh": r, "rows": rows, "chart": chart},
    )
