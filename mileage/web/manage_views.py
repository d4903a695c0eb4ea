"""The city's programme management pages (issue #14): one list, new and edit view for every kind
of item in `manage.MANAGED`."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from mileage.accounts.scope import is_city
from mileage.core.guards import guard

from . import manage

city_only = guard(is_city, "시 담당자만 프로그램을 관리할 수 있습니다.")


def _managed(kind: str) -> manage.Managed:
    managed = manage.MANAGED.get(kind)
    if managed is None:
        raise Http404
    return managed


@city_only
def index(request: HttpRequest) -> HttpResponse:
    kinds = [(m, m.queryset().count()) for m in manage.MANAGED.values()]
    return render(request, "web/manage/index.html", {"kinds": kinds})


@city_only
def item_list(request: HttpRequest, kind: str) -> HttpResponse:
    managed = _managed(kind)
    return render(
        request,
        "web/manage/list.html",
        {"m": managed, "rows": manage.rows(managed), "headers": [h for _, h in managed.columns]},
    )


@city_only
def item_edit(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    managed = _managed(kind)
    instance = get_object_or_404(managed.queryset(), pk=pk) if pk is not None else None
    Form = manage.form_class(managed)
    form = Form(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = manage.save(managed, form, request.user)
        messages.success(
            request, f"{managed.title} '{saved}'을(를) {'저장' if pk else '추가'}했습니다."
        )
        return redirect("manage_list", kind=kind)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "web/manage/form.html",
        {
            "m": managed,
            "form": form,
            "item": instance,
            "links": managed.links(instance) if managed.links and instance else [],
        },
        status=status,
    )
