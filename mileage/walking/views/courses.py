"""WALK-7: public course pages with the route drawn server-side. Citizens may note that they
walked a course (`course_complete`, their own record); it never completes a stamp challenge,
which counts only the partner apps' check-ins at the stamp points (`POST /api/v1/walking/checkins`)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import geo
from ..models import Challenge, Course
from ..services.courses import complete_course
from .access import citizen_only


def course_list(request: HttpRequest) -> HttpResponse:
    return render(request, "walking/courses.html", {"courses": Course.objects.all()})


def course_detail(request: HttpRequest, slug: str) -> HttpResponse:
    course = get_object_or_404(Course, slug=slug)
    walked = (
        course.completions.filter(member=request.user).count()
        if request.user.is_authenticated
        else 0
    )
    return render(
        request,
        "walking/course.html",
        {
            "course": course,
            "svg": geo.route_svg(course.route, title=course.name_ko),
            "walked": walked,
            "completions": course.completions.count(),
            "stamps": course.stamps.all(),
            "stamp_challenges": Challenge.objects.filter(course=course, goal=Challenge.Goal.STAMP),
        },
    )


@require_POST
@citizen_only
def course_complete(request: HttpRequest, slug: str) -> HttpResponse:
    course = get_object_or_404(Course, slug=slug)
    complete_course(request.user, course)
    messages.success(request, f"'{course.name_ko}' 완주를 기록했습니다.")
    if Challenge.objects.filter(
        course=course, goal=Challenge.Goal.STAMP, entries__member=request.user
    ).exists():  # WALK-7: the own record never completes a stamp challenge
        messages.info(
            request,
            "스탬프 챌린지는 직접 기록으로 완주되지 않습니다. "
            "연결한 걷기 앱으로 각 스탬프 지점에서 체크인하세요.",
        )
    return redirect("walking:course", slug=slug)
