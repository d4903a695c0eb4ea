"""WALK-7: the five courses from the seed, with plausible routes drawn as inline SVG."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mileage.walking.geo import route_length_km, route_svg
from mileage.walking.models import Course, CourseCompletion

pytestmark = pytest.mark.django_db

SEED_COURSES = ["서촌문화마을길", "이화동벽화마을", "양재천 문화산책길", "도심고궁길", "경의선숲길"]


def test_walk7_the_five_seed_courses_are_published():
    assert list(Course.objects.values_list("name_ko", flat=True)) == SEED_COURSES


def test_walk7_routes_lie_in_seoul_and_match_their_stated_length():
    for course in Course.objects.all():
        for lon, lat in course.route["coordinates"]:
            assert 37.42 < lat < 37.70 and 126.76 < lon < 127.19, course.slug  # Seoul's extent
        traced = Decimal(str(route_length_km(course.route)))
        assert course.length_km * Decimal("0.7") <= traced <= course.length_km * Decimal("1.1"), (
            course.slug,
            traced,
        )


def test_walk7_route_svg_is_drawn_server_side_without_tiles():
    course = Course.objects.get(slug="gyeongui")
    svg = route_svg(course.route, title=course.name_ko)
    assert svg.startswith("<svg") and "<polyline" in svg and "경의선숲길" in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # nothing fetched
    points = svg.split('points="')[1].split('"')[0].split()
    assert len(points) == len(course.route["coordinates"])
    xs = [float(p.split(",")[0]) for p in points]
    assert min(xs) >= 0 and max(xs) <= 320


def test_walk7_course_page_and_completion_check_in(client, walker):
    r = client.get("/walking/courses/seochon/")
    assert r.status_code == 200 and "<svg" in r.content.decode()
    client.force_login(walker)
    client.post("/walking/courses/seochon/complete/")
    client.post("/walking/courses/seochon/complete/")  # once a day
    assert CourseCompletion.objects.filter(member=walker).count() == 1


def test_walk7_a_route_needs_two_points():
    with pytest.raises(ValueError):
        route_length_km({"type": "LineString", "coordinates": [[127.0, 37.5]]})
